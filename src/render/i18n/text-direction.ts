const RTL_LANGUAGES = /^(ar|fa|he|ur|ps|yi|dv|ckb|sd|ug)(-|$)/i;

/**
 * The writing direction of text in a language (a story's, a search result's), shipped or not.
 * Its own module, free of catalogs, so the newsroom's browser bundle can use it too.
 */
export function languageDirection(tag: string): 'ltr' | 'rtl' {
  return RTL_LANGUAGES.test(tag.trim()) ? 'rtl' : 'ltr';
}
