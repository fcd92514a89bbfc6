import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSnippet, type SnippetPart } from './search-snippet.ts';

/*
 * Snippets are cut from the stored text without the database: these pin what a reader sees
 * under a result (the marked words and the stretch chosen), which the scanning code, tuned
 * for speed, must keep.
 */

const marked = (parts: SnippetPart[]) => parts.filter((p) => p.mark).map((p) => p.text);
const text = (parts: SnippetPart[]) => parts.map((p) => p.text).join('');

describe('search snippets', () => {
  it('marks every inflected form of a query word, in the story’s language, with accents folded', () => {
    const parts = buildSnippet('Reacting quickly, the council reacted. Élections were held; the election was close.', 'en', [
      'react',
      'election',
    ]);
    assert.deepEqual(marked(parts), ['Reacting', 'reacted', 'Élections', 'election']);
    assert.equal(text(parts), 'Reacting quickly, the council reacted. Élections were held; the election was close.');
  });

  it('cuts the same snippet from a text whatever was scanned before it (the scan keeps its buffers between texts)', () => {
    const short = 'The pilots met. Later the harbour pilots struck, and the harbour closed.';
    const alone = buildSnippet(short, 'en', ['harbour', 'pilots']);
    // Thousands of words, every other one a hit, and other query words: the buffers grow and fill.
    const long = Array.from({ length: 6000 }, (_, i) => (i % 2 ? 'harbour' : `strike${i}`)).join(' ');
    assert.equal(marked(buildSnippet(long, 'en', ['harbour', 'strike'])).length > 10, true);
    assert.deepEqual(buildSnippet(short, 'en', ['harbour', 'pilots']), alone);
    assert.deepEqual(marked(alone), ['pilots', 'harbour', 'pilots', 'harbour']);
  });

  it('finds the stretch with the query words deep in a long text, with ellipses where it was cut', () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
    const body = `${filler(200)} the harbour pilots went on strike at dawn ${filler(200)}`;
    const parts = buildSnippet(body, 'en', ['harbour', 'pilots']);
    assert.deepEqual(marked(parts), ['harbour', 'pilots']);
    assert.equal(parts[0]?.text, '… ');
    assert.equal(parts.at(-1)?.text, ' …');
    assert.equal(text(parts).split(' ').length, 2 + 30, 'thirty words between the ellipses');
    assert.match(text(parts), /^… word1\d\d .* word199 the harbour pilots went on …$/);
  });

  it('keeps marks on the right characters after letters whose lower case is longer ("İ")', () => {
    // "İ" lower-cases to two UTF-16 units: positions taken from a lower-cased copy would drift.
    const parts = buildSnippet('İstanbul İzmir and the ferry strike', 'tr', ['ferry']);
    assert.deepEqual(marked(parts), ['ferry']);
    assert.equal(text(parts), 'İstanbul İzmir and the ferry strike');
    // Such a text is scanned in its own case: a capitalised word is still found.
    assert.deepEqual(marked(buildSnippet('İstanbul: Ferry STRIKES called off', 'tr', ['ferry', 'strikes'])), ['Ferry', 'STRIKES']);
  });

  it('gives the opening of the text when no word matches, and nothing for a text without words', () => {
    const parts = buildSnippet('Opening words about ships.', 'en', ['glacier']);
    assert.deepEqual(marked(parts), []);
    assert.equal(text(parts), 'Opening words about ships.');
    assert.deepEqual(buildSnippet(' — … ', 'en', ['glacier']), []);
  });
});
