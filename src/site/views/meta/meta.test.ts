import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { PUBLIC_DIR } from '../../../http/assets.ts';
import { feedLinks, feedUrl } from './feed-links.ts';
import { jsonLdScript, PUBLISHER_LOGO, serializeJsonLd } from './json-ld.ts';
import { ogLocale } from './open-graph.ts';
import { shareImage } from './share-image.ts';

describe('serializeJsonLd', () => {
  const hostile = { headline: '</script><script>alert(1)</script><!-- & \u2028\u2029 "x" \'y\'' };

  it('leaves no character that could end or alter the script element', () => {
    const text = serializeJsonLd(hostile);
    assert.ok(!/[<>&\u2028\u2029]/.test(text), text);
    assert.ok(!/<\/script/i.test(jsonLdScript(hostile).value.slice('<script type="application/ld+json">'.length, -'</script>'.length)));
  });

  it('round-trips exactly through JSON.parse', () => {
    assert.deepEqual(JSON.parse(serializeJsonLd(hostile)), hostile);
    const tricky = { a: 'ends with a backslash \\', b: '\\"', c: '\\\\"<', d: ['"', "'"] };
    assert.deepEqual(JSON.parse(serializeJsonLd(tricky)), tricky);
  });

  it('writes quotes of user text as \\u0022 and \\u0027, leaving the JSON structure alone', () => {
    assert.equal(serializeJsonLd({ h: `a"b'c\\` }), '{"h":"a\\u0022b\\u0027c\\\\"}');
  });

  it('wraps the data in one ld+json script element', () => {
    const out = jsonLdScript({ '@type': 'Thing', name: 'a < b' }).value;
    assert.equal(out, '<script type="application/ld+json">{"@type":"Thing","name":"a \\u003c b"}</script>');
  });
});

describe('ogLocale', () => {
  it('writes language_TERRITORY, taking the likeliest territory for a bare language', () => {
    assert.equal(ogLocale('en'), 'en_US');
    assert.equal(ogLocale('en-GB'), 'en_GB');
    assert.equal(ogLocale('pt-BR'), 'pt_BR');
    assert.equal(ogLocale('de'), 'de_DE');
    assert.equal(ogLocale('ar'), 'ar_EG');
  });
});

describe('shareImage', () => {
  const img = { storageKey: 'k', width: 3000, height: 2000, renditionWidths: [320, 640, 960, 1280, 1600, 2048], altText: 'alt' };

  it('takes the narrowest JPEG rendition at least 1200px wide, with its height', () => {
    assert.deepEqual(shareImage('https://x.test', img), { url: 'https://x.test/media/k/w1280.jpg', width: 1280, height: 853, alt: 'alt' });
  });

  it('takes the widest rendition of a small image, at its own size', () => {
    assert.deepEqual(shareImage('https://x.test', { ...img, width: 800, height: 600, renditionWidths: [320, 640, 800] }), {
      url: 'https://x.test/media/k/w800.jpg',
      width: 800,
      height: 600,
      alt: 'alt',
    });
  });
});

describe('feed links', () => {
  it('puts the feed files beside the page they belong to', () => {
    assert.equal(feedUrl('https://x.test', '/', 'feed.xml'), 'https://x.test/feed.xml');
    assert.equal(feedUrl('https://x.test', '/tags/russia', 'feed.atom'), 'https://x.test/tags/russia/feed.atom');
  });

  it('escapes titles', () => {
    assert.ok(
      feedLinks('https://x.test', [{ title: 'A "B" <C>', basePath: '/' }]).value.includes('title="A &quot;B&quot; &lt;C&gt; (RSS)"'),
    );
  });
});

describe('publisher logo', () => {
  it('is a PNG of the size the structured data states', async () => {
    const file = path.join(PUBLIC_DIR, PUBLISHER_LOGO.file);
    const meta = await sharp(fs.readFileSync(file)).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, PUBLISHER_LOGO.width);
    assert.equal(meta.height, PUBLISHER_LOGO.height);
  });
});
