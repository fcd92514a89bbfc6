import type { Catalog } from './en.ts';
export const fa: Catalog = {};
