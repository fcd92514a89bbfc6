import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { html } from '../../http/html.ts';
import { LOCALES, type Locale } from './locales.ts';
import { createMessages, messagesFor } from './messages.ts';
import { en, type MessageKey } from './messages/en.ts';

const KEYS = Object.keys(en) as MessageKey[];
const TRANSLATED = (Object.keys(LOCALES) as Locale[]).filter((l) => l !== 'en');

/** The arguments and tags a message uses: a translation must use the same ones. */
function argumentsOf(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time) out.add(e.value);
    if (e.type === TYPE.tag) {
      out.add(`<${e.value}>`);
      argumentsOf(e.children, out);
    }
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      out.add(e.value);
      for (const o of Object.values(e.options)) argumentsOf(o.value, out);
    }
  }
  return out;
}

test('every catalog has every key English has', () => {
  const missing = TRANSLATED.flatMap((l) => KEYS.filter((k) => LOCALES[l].catalog[k] === undefined).map((k) => `${l}: ${k}`));
  assert.deepEqual(missing, [], `untranslated keys:\n${missing.join('\n')}`);
});

test('no catalog has a key English lacks (a typo would never be shown)', () => {
  const extra = TRANSLATED.flatMap((l) =>
    Object.keys(LOCALES[l].catalog)
      .filter((k) => !(k in en))
      .map((k) => `${l}: ${k}`),
  );
  assert.deepEqual(extra, []);
});

test('every message parses as ICU and uses the arguments and tags of the English one', () => {
  const wrong: string[] = [];
  for (const l of Object.keys(LOCALES) as Locale[]) {
    for (const k of KEYS) {
      const message = LOCALES[l].catalog[k];
      if (message === undefined) continue;
      const want = [...argumentsOf(parse(en[k]))].sort().join(',');
      const got = [...argumentsOf(parse(message))].sort().join(',');
      if (want !== got) wrong.push(`${l}: ${k} uses {${got}}, English {${want}}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('a missing key falls back to English, never to the key', () => {
  const catalog = LOCALES.fr.catalog;
  const saved = catalog['search.remove'];
  delete catalog['search.remove'];
  try {
    // Formatters compile on first use, and nothing in this file used this one before.
    assert.equal(messagesFor('fr').text('search.remove'), 'remove');
  } finally {
    catalog['search.remove'] = saved;
  }
});

test('plurals follow each language’s rules', () => {
  assert.equal(messagesFor('en').text('comments.count', { count: 1 }), '1 comment');
  assert.equal(messagesFor('en').text('comments.count', { count: 3 }), '3 comments');
  assert.equal(messagesFor('fr').text('comments.count', { count: 0 }), '0 commentaire');
  assert.equal(messagesFor('ar').text('comments.count', { count: 2 }), 'تعليقان');
  assert.equal(messagesFor('ar').text('comments.count', { count: 3 }), '3 تعليقات');
  assert.equal(messagesFor('ar').text('comments.count', { count: 11 }), '11 تعليقًا');
  assert.match(messagesFor('fa').text('live.newUpdates', { count: 3 }), /^۳ به‌روزرسانی تازه$/);
});

test('plural forms for scripts carry one text per category, with # for the number', () => {
  assert.deepEqual(messagesFor('en').pluralForms('live.newUpdates'), { one: '# new update', other: '# new updates' });
  const ar = messagesFor('ar').pluralForms('live.newUpdates');
  assert.deepEqual(Object.keys(ar).sort(), ['few', 'many', 'one', 'other', 'two', 'zero']);
  assert.equal(ar.few, '# تحديثات جديدة');
});

test('markup arguments stay markup, words and plain arguments are escaped', () => {
  const m = messagesFor('en');
  const names = m.list([html`<a href="/a">A</a>`, 'B & <C>']);
  assert.equal(m.html('article.byline', { names }).value, 'By <a href="/a">A</a> and B &amp; &lt;C&gt;');
  const front = m.html('error.notFoundFront', { link: (chunks) => html`<a href="/">${chunks}</a>` });
  assert.equal(front.value, '<a href="/">Go to the front page</a> for the latest news');
});

test('dates, numbers and relative times in the locale', () => {
  assert.equal(messagesFor('en').dateTime('2026-12-04T14:06:00Z'), '4 December 2026, 14:06 UTC');
  assert.match(messagesFor('fr').dateTime('2026-12-04T14:06:00Z'), /^4 décembre 2026.*14:06 UTC$/);
  assert.match(messagesFor('fa').date('2026-12-04T14:06:00Z'), /[۰-۹]/);
  assert.equal(messagesFor('de').number(12345), '12.345');
  assert.equal(messagesFor('en').relativeTime('2026-12-04T11:00:00Z', '2026-12-04T14:06:00Z'), '3 hours ago');
  assert.equal(messagesFor('fr').relativeTime('2026-12-03T12:00:00Z', '2026-12-04T14:06:00Z'), 'hier');
});

test('a locale tag resolves to its shipped language; an unshipped one to English', () => {
  assert.equal(messagesFor('fr-CA').locale, 'fr');
  assert.equal(messagesFor('ar-EG').dir, 'rtl');
  assert.equal(messagesFor('it').locale, 'en');
});

test('every message reads the same through the fast fill as through the formatter, as text and as markup', async () => {
  const { IntlMessageFormat } = await import('intl-messageformat');
  let filled = 0;
  for (const locale of Object.keys(LOCALES) as Locale[]) {
    const m = createMessages(locale);
    const catalog = LOCALES[locale].catalog as Partial<Record<MessageKey, string>>;
    for (const key of KEYS) {
      const source = catalog[key] ?? en[key];
      const elements = parse(source);
      if (!elements.every((e) => e.type === TYPE.literal || e.type === TYPE.argument)) continue;
      filled++;
      const names = [...argumentsOf(elements)];
      // Text with markup characters: escaped by the markup path, kept by the text path.
      const values = Object.fromEntries(names.map((n, i) => [n, `<${n} & "${i}">`]));
      const formatter = new IntlMessageFormat(source, catalog[key] === undefined ? 'en' : locale);
      assert.equal(m.text(key, values), String(formatter.format(values)), `${locale} ${key} as text`);
      const markup = Object.fromEntries(names.map((n) => [n, html`<b>${n}</b>`]));
      const expected = formatter.format<unknown>(markup);
      const parts = (Array.isArray(expected) ? expected : [expected]) as unknown[];
      assert.equal(
        m.html(key, markup).toString(),
        parts.map((p) => (typeof p === 'string' ? html`${p}`.toString() : String(p))).join(''),
        `${locale} ${key} as markup`,
      );
    }
  }
  assert.ok(filled > 100, `most messages take the fast fill (${filled})`);
});

test('a message with one number argument, and numbers, read the same every time as through the formatter', async () => {
  const { IntlMessageFormat } = await import('intl-messageformat');
  let counted = 0;
  for (const locale of Object.keys(LOCALES) as Locale[]) {
    const m = createMessages(locale);
    const catalog = LOCALES[locale].catalog as Partial<Record<MessageKey, string>>;
    const numberFormat = new Intl.NumberFormat(locale);
    const plainFormat = new Intl.NumberFormat(locale, { useGrouping: false });
    for (const key of KEYS) {
      const source = catalog[key] ?? en[key];
      const names = [...argumentsOf(parse(source))];
      if (names.length !== 1 || !/\{\s*\w+\s*,\s*(plural|number|selectordinal)/.test(source)) continue;
      counted++;
      const formatter = new IntlMessageFormat(source, catalog[key] === undefined ? 'en' : locale);
      // Twice each: the second answer comes from the memo and must not differ.
      for (const n of [0, 1, 2, 3, 5, 11, 21, 101, 1234, 0, 1, 2, 1234])
        assert.equal(m.text(key, { [names[0]!]: n }), String(formatter.format({ [names[0]!]: n })), `${locale} ${key} ${n}`);
    }
    for (const n of [0, 7, 1234, 1234567, 7, 1234567]) assert.equal(m.number(n), numberFormat.format(n), `${locale} number ${n}`);
    for (const n of [2026, 12345, 2026, 12345]) assert.equal(m.plainNumber(n), plainFormat.format(n), `${locale} plain number ${n}`);
  }
  assert.ok(counted > 5, `counted messages checked (${counted})`);
});
