import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { createTestSite } from '../../test/support/test-site.ts';
import { testDialects } from '../../test/support/test-db.ts';

/*
 * The demo must publish the seed article as faithfully as the news site did. The seed text
 * (../shared/seeds) is read at run time and parsed by its structure, then compared with the
 * page Masthead renders, on every database.
 */

const SEED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/seeds/000_882879846759b320.txt');
const seedMissing = fs.existsSync(SEED) ? false : `seed text not found at ${SEED} (the shared folder is absent)`;
if (seedMissing && process.env.CI === 'true') throw new Error(`${seedMissing}; CI must check the seed article`);

// \s covers the no-break spaces the captured page has ("By\u00a0Sudesh Baniya").
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

interface SeedText {
  headline: string;
  caption: string;
  credit: string;
  byline: string;
  standfirst: string;
  paragraphs: string[];
  related: string[];
}

function parseSeed(text: string): SeedText {
  const lines = text.split('\n').map(norm);
  const nonEmpty = lines.filter(Boolean);
  const headline = nonEmpty[0]!;
  const caption = nonEmpty[1]!;
  const creditLine = nonEmpty[2]!;
  assert.ok(creditLine.startsWith(caption), 'third line repeats the caption with the credit');
  const credit = creditLine.slice(caption.length).trim();
  const bylineLine = nonEmpty.find((l) => l.startsWith('By '))!;
  const afterShare = nonEmpty.lastIndexOf('Share this articleClose Button');
  const endBody = nonEmpty.lastIndexOf('Share this articleComments');
  const body = nonEmpty.slice(afterShare + 1, endBody);
  const relatedStart = nonEmpty.indexOf('You might also like');
  return {
    headline,
    caption,
    credit,
    byline: bylineLine.slice(3),
    standfirst: body[0]!,
    paragraphs: body.slice(1),
    related: nonEmpty.slice(relatedStart + 1),
  };
}

const SEED_PATH = '/world/russia-executing-soldiers-not-following-orders-says-us';

for (const { dialect, skip } of await testDialects()) {
  describe(`seed article fidelity (${dialect})`, { skip: seedMissing || skip }, () => {
    test('the page carries every element of the seed, in order', async () => {
      const seed = parseSeed(fs.readFileSync(SEED, 'utf8'));
      const site = await createTestSite(dialect, { demo: true, generated: 8 });
      try {
        const res = await site.app.inject({ url: SEED_PATH });
        assert.equal(res.statusCode, 200);
        const { document } = parseHTML(res.body);
        assert.equal(norm(document.querySelector('h1')!.textContent!), seed.headline);
        assert.equal(norm(document.querySelector('.article__standfirst, header p:not(:first-child)')!.textContent!), seed.standfirst);

        const hero = document.querySelector('article figure')!;
        const figcaption = norm(hero.querySelector('figcaption')!.textContent!);
        assert.ok(figcaption.includes(seed.caption), `caption in figcaption: ${figcaption}`);
        assert.ok(figcaption.endsWith(seed.credit), `credit "${seed.credit}" in figcaption: ${figcaption}`);
        const img = hero.querySelector('img')!;
        assert.ok(!img.getAttribute('alt')!.includes('Copyright'), 'the credit stays out of the alt text');
        assert.ok(Number(img.getAttribute('width')) > 0 && Number(img.getAttribute('height')) > 0);

        const author = document.querySelector('a[href^="/authors/"]')!;
        assert.equal(norm(author.textContent!), seed.byline);

        // Every paragraph of the seed body appears, in the seed's order.
        const bodyText = norm(document.querySelector('.article__body')!.textContent!);
        let from = 0;
        for (const para of seed.paragraphs) {
          const at = bodyText.indexOf(norm(para), from);
          assert.ok(at >= 0, `paragraph missing or out of order: ${para.slice(0, 60)}…`);
          from = at + norm(para).length;
        }

        // Quoted statements are real quotations with a named speaker.
        const quotes = [...document.querySelectorAll('.article__body blockquote')];
        assert.ok(quotes.length >= 3, `expected the quoted statements as blockquotes, got ${quotes.length}`);
        const reprehensible = quotes.find((q) => q.textContent!.includes('reprehensible'))!;
        assert.ok(reprehensible, 'Kirby’s statement is a blockquote');
        const attribution = reprehensible.closest('figure')!.querySelector('figcaption, cite')!;
        assert.match(attribution.textContent!, /John Kirby/);

        const related = document.querySelector('[aria-labelledby="related-heading"]')!;
        const relatedTitles = [...related.querySelectorAll('a')].map((a) => norm(a.textContent!));
        for (const title of seed.related) assert.ok(relatedTitles.includes(norm(title)), `related story "${title}" offered`);
        assert.ok(!relatedTitles.includes(seed.headline), 'the article is never related to itself');
      } finally {
        await site.close();
      }
    });
  });
}
