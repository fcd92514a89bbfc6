import type { Catalog } from './en.ts';
export const de: Catalog = {};
