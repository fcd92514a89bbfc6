import type { Catalog } from './en.ts';
export const ar: Catalog = {};
