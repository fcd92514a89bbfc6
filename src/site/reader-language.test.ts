import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { seedTranslatedStories, STORIES, type StoryLanguage } from '../../test/support/i18n-test-support.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import { LOCALES } from '../render/i18n/locales.ts';
import { en, type MessageKey } from '../render/i18n/messages/en.ts';

const KEYS = Object.keys(en) as MessageKey[];

/** English interface sentences with no arguments or markup, long enough not to be a story's word. */
const ENGLISH_PHRASES = KEYS.map((k) => en[k] as string).filter((t) => !/[{<]/.test(t) && t.length >= 9);

function visibleText(body: string): string {
  const { document } = parseHTML(body);
  for (const el of document.querySelectorAll('script, style')) el.remove();
  const attributes = Array.from(document.querySelectorAll('[aria-label], [title], [placeholder]')).flatMap((el) =>
    ['aria-label', 'title', 'placeholder'].map((a) => el.getAttribute(a) ?? ''),
  );
  return `${document.documentElement.textContent} ${attributes.join(' ')}`;
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: the reader interface speaks the page's language`, { skip }, () => {
    let site: TestSite;
    let paths: Record<StoryLanguage, string>;
    const get = (url: string) => site.app.inject({ method: 'GET', url });

    before(async () => {
      site = await createTestSite(dialect, {
        demo: true,
        generated: 0,
        seed: async (deps) => void (paths = await seedTranslatedStories(deps)),
      });
      // The demo has French and Arabic editions: those stories live at their edition's address.
      for (const language of Object.keys(paths) as StoryLanguage[]) {
        const res = await get(paths[language]);
        if (res.statusCode === 301) paths[language] = new URL(String(res.headers.location), 'https://news.example.test').pathname;
      }
    });
    after(() => site?.close());

    it('shows no raw message key on any public page, in any language', async () => {
      const urls = [
        '/',
        '/world',
        '/authors/layla-mansour',
        '/search',
        '/search?q=xylophonist',
        '/search?q=geneve',
        '/no-such-page/at-all',
        '/comments/signin',
        '/comments/signup',
        ...Object.values(paths).flatMap((p) => [p, `${p}/comments`]),
      ];
      for (const url of urls) {
        const res = await get(url);
        assert.ok(res.statusCode === 200 || res.statusCode === 404, `${url}: ${res.statusCode}`);
        const leaked = KEYS.filter((k) => res.body.includes(k));
        assert.deepEqual(leaked, [], `${url} shows message keys`);
      }
    });

    for (const language of ['ar', 'fa', 'fr'] as const) {
      it(`a ${language} story's page is in ${language}, with its direction, every interface phrase translated`, async () => {
        const res = await get(paths[language]);
        assert.equal(res.statusCode, 200);
        const { document } = parseHTML(res.body);
        const rtl = LOCALES[language].dir === 'rtl';
        assert.equal(document.documentElement.getAttribute('lang'), language);
        assert.equal(document.documentElement.getAttribute('dir'), rtl ? 'rtl' : 'ltr');
        assert.equal(document.querySelector('article.article')?.getAttribute('dir'), rtl ? 'rtl' : 'ltr');
        assert.equal(document.querySelector('h1')?.textContent, STORIES[language].headline);
        // The byline in the page's words, each name isolated so scripts don't reorder each other.
        const byline = document.querySelector('.byline')!;
        assert.match(byline.textContent!, { ar: /^بقلم /, fa: /^نوشتهٔ /, fr: /^Par / }[language]);
        assert.deepEqual(
          Array.from(byline.querySelectorAll('bdi')).map((b) => b.textContent),
          ['Amira Haddad', 'ليلى منصور'],
        );
        assert.equal(document.querySelector('.skip-link')?.textContent, LOCALES[language].catalog['layout.skipLink']);
        assert.equal(document.querySelector('.share-bar h2')?.textContent, LOCALES[language].catalog['share.heading']);
        const english = ENGLISH_PHRASES.filter((p) => visibleText(res.body).includes(p));
        assert.deepEqual(english, [], 'English interface phrases on the page');
      });
    }

    it('the discussion page of an Arabic story is Arabic; the site default (English) elsewhere', async () => {
      const thread = parseHTML((await get(`${paths.ar}/comments`)).body).document;
      assert.equal(thread.documentElement.getAttribute('dir'), 'rtl');
      assert.equal(thread.querySelector('.comments-page__back a')?.textContent, '→ العودة إلى المقال');
      const home = parseHTML((await get('/')).body).document;
      assert.equal(home.documentElement.getAttribute('lang'), 'en');
      assert.equal(home.documentElement.getAttribute('dir'), 'ltr');
      // Headlines of unknown direction in lists take their own (Persian has no edition of its own: it is on this front).
      const faHeadline = Array.from(home.querySelectorAll('.teaser__title a')).find((a) => a.textContent === STORIES.fa.headline);
      assert.equal(faHeadline?.getAttribute('dir'), 'auto');
    });

    it('the live and comment scripts get their words from the page', async () => {
      const { document } = parseHTML((await get(paths.ar)).body);
      const copy = document.querySelector('[data-share-url]');
      assert.equal(copy?.getAttribute('data-copied'), 'نُسخ الرابط');
      assert.equal(document.querySelector('.comments h2')?.textContent?.startsWith('التعليقات'), true);
      const thread = parseHTML((await get(`${paths.ar}/comments`)).body).document;
      const words = JSON.parse(thread.querySelector('[data-comments]')?.getAttribute('data-words') ?? '{}') as Record<string, string>;
      assert.equal(words.yesDelete, 'نعم، احذفه');
      assert.equal(words.ofMax, '{count} من {max} حرف');
      const live = document.querySelector('[data-live-new]');
      assert.equal(live, null, 'no live blog on this story');
    });
  });
}
