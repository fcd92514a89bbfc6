import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DOMParser } from 'linkedom';
import { absolutizeHtml, cdata, largestRendition, rfc822, w3cDateTime, xmlEscape } from './feed-xml.ts';
import { newsLanguage } from './sitemap-formats.ts';

describe('feed XML helpers', () => {
  it('escapes markup and drops characters XML 1.0 cannot carry', () => {
    assert.equal(
      xmlEscape('<script>"a" & \'b\'</script>\u0000\u0007ok\uD800'),
      '&lt;script&gt;&quot;a&quot; &amp; &apos;b&apos;&lt;/script&gt;ok',
    );
    assert.equal(xmlEscape('emoji 😀 stays'), 'emoji 😀 stays');
  });

  it('wraps markup in CDATA, splitting ]]> so the section cannot end early, and drops characters XML cannot carry', () => {
    assert.equal(cdata('<p>a</p>'), '<![CDATA[<p>a</p>]]>');
    const tricky = '<p>x]]><script>alert(1)</script>]]>]]></p>\u0000';
    const wrapped = cdata(tricky);
    assert.equal(wrapped, '<![CDATA[<p>x]]]]><![CDATA[><script>alert(1)</script>]]]]><![CDATA[>]]]]><![CDATA[></p>]]>');
    const doc = new DOMParser().parseFromString(`<?xml version="1.0"?><e>${wrapped}</e>`, 'text/xml');
    assert.equal(
      doc.getElementsByTagName('e')[0]!.textContent,
      '<p>x]]><script>alert(1)</script>]]>]]></p>',
      'an XML parser reads back the exact markup',
    );
    assert.equal(doc.getElementsByTagName('script').length, 0, 'nothing leaks out as elements');
  });

  it('makes root-relative src, href and every srcset entry absolute, leaving other URLs alone', () => {
    const out = absolutizeHtml(
      'https://n.test/',
      '<a href="/world/x">x</a><a href="https://e.test/">e</a><img src="/media/k/w640.jpg" srcset="/media/k/w320.jpg 320w, /media/k/w640.jpg 640w"><a href="//cdn.test/y">y</a>',
    );
    assert.equal(
      out,
      '<a href="https://n.test/world/x">x</a><a href="https://e.test/">e</a><img src="https://n.test/media/k/w640.jpg" srcset="https://n.test/media/k/w320.jpg 320w, https://n.test/media/k/w640.jpg 640w"><a href="//cdn.test/y">y</a>',
    );
  });

  it('formats dates for RSS and Atom/sitemaps', () => {
    assert.equal(rfc822('2026-11-25T09:05:00.000Z'), 'Wed, 25 Nov 2026 09:05:00 GMT');
    assert.equal(w3cDateTime('2026-11-25T09:05:00.123Z'), '2026-11-25T09:05:00Z');
  });

  it('picks the largest JPEG rendition and scales the height to it', () => {
    assert.deepEqual(
      largestRendition('https://n.test', { storageKey: 'k', renditionWidths: [320, 1600, 640], width: 3200, height: 1800 }),
      {
        url: 'https://n.test/media/k/w1600.jpg',
        width: 1600,
        height: 900,
        type: 'image/jpeg',
      },
    );
    assert.equal(largestRendition('https://n.test', { storageKey: 'k', renditionWidths: [], width: 10, height: 10 }), null);
  });

  it('maps article languages to Google News codes', () => {
    assert.equal(newsLanguage('en'), 'en');
    assert.equal(newsLanguage('en-GB'), 'en');
    assert.equal(newsLanguage('zh-Hant-TW'), 'zh-tw');
    assert.equal(newsLanguage('zh-TW'), 'zh-tw');
    assert.equal(newsLanguage('zh'), 'zh-cn');
  });
});
