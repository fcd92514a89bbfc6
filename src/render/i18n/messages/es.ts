import type { Catalog } from './en.ts';
export const es: Catalog = {};
