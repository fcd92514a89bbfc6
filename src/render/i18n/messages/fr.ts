import type { Catalog } from './en.ts';
export const fr: Catalog = {};
