import assert from 'node:assert/strict';
import { test } from 'node:test';
import { searchLanguages } from './search-view.ts';

test('the language filter: every indexed language on a one-edition site, none inside a language edition', () => {
  assert.deepEqual(searchLanguages({}), ['en', 'fr', 'de', 'es', 'it', 'pt', 'ru', 'tr', 'ar']);
  assert.deepEqual(searchLanguages({ language: 'fr' }), []);
  // The default edition among others: what no other edition claims (by primary subtag).
  assert.deepEqual(searchLanguages({ languagesNotIn: ['fr', 'pt-BR', 'AR'] }), ['en', 'de', 'es', 'it', 'ru', 'tr']);
});
