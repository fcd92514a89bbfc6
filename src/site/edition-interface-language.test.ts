import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { seedStaff } from '../../test/support/account-factories.ts';
import { seedTranslatedStories, type StoryLanguage } from '../../test/support/i18n-test-support.ts';
import { csrfFrom, NewsroomClient } from '../../test/support/newsroom-client.ts';
import { openStream } from '../../test/support/live-test-support.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, TEST_SITE_URL, type TestSite } from '../../test/support/test-site.ts';
import { raiseBreakingAlert } from '../domain/alerts/breaking-alert-service.ts';
import { createEditionAsAdmin } from '../domain/editions/edition-admin.ts';
import { ensureTags } from '../domain/tags/tag.ts';
import { LOCALES, type Locale } from '../render/i18n/locales.ts';
import { en, type MessageKey } from '../render/i18n/messages/en.ts';

/*
 * Every public page of every shipped language's edition, read as a reader would: no message
 * key may show, and outside English no English interface phrase. A catalog missing a string
 * falls back to English, so this test is also what reports a missing translation on a page.
 */

const KEYS = Object.keys(en) as MessageKey[];

/**
 * English interface sentences with no arguments or markup, long enough not to be a story's
 * word, that `language`'s catalog does not say the same way (Spanish "Error 404" is English's).
 * A key the catalog lacks is English on the page, so it counts.
 */
function englishPhrases(language: Locale): string[] {
  const catalog = LOCALES[language].catalog;
  return KEYS.filter((k) => catalog[k] !== en[k])
    .map((k) => en[k] as string)
    .filter((t) => !/[{<]/.test(t) && t.length >= 9);
}

/** What a reader sees or hears: text, and the labels, titles and placeholders of elements. */
function visibleText(body: string): string {
  const { document } = parseHTML(body);
  for (const el of document.querySelectorAll('script, style, template')) el.remove();
  const attributes = Array.from(document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')).flatMap((el) =>
    ['aria-label', 'title', 'placeholder', 'alt'].map((a) => el.getAttribute(a) ?? ''),
  );
  return `${document.documentElement.textContent} ${attributes.join(' ')}`;
}

/** The editions the demo lacks, made as an administrator would in the newsroom. */
const NEW_EDITIONS = [
  { code: 'de', language: 'de', locale: 'de-DE', direction: 'ltr', name: 'Deutsch', pathPrefix: 'de' },
  { code: 'es', language: 'es', locale: 'es-ES', direction: 'ltr', name: 'Español', pathPrefix: 'es' },
  { code: 'fa', language: 'fa', locale: 'fa-IR', direction: 'rtl', name: 'فارسی', pathPrefix: 'fa' },
] as const;

const SEED_SLUG = 'russia-executing-soldiers-not-following-orders-says-us';

const EDITION_LANGUAGES = ['en', 'fr', 'ar', 'de', 'es', 'fa'] as const satisfies readonly Locale[];

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: every edition's public pages speak its language`, { skip }, () => {
    let site: TestSite;
    /** Each edition's story path (the English one is the demo's seed story's French twin's source). */
    const stories = {} as Record<StoryLanguage, string>;
    const get = (url: string) => site.app.inject({ method: 'GET', url });

    before(async () => {
      site = await createTestSite(dialect, {
        demo: true,
        generated: 0,
        seed: async (deps) => {
          const [tag] = await ensureTags(deps.db, ['Geneva talks'], deps.clock());
          Object.assign(stories, await seedTranslatedStories(deps, [tag!.id]));
        },
      });
      const { admin } = await seedStaff(site.deps, { admin: ['admin'] });
      const actor = { userId: admin.id, role: admin.role };
      for (const e of NEW_EDITIONS) await createEditionAsAdmin(site.deps, actor, e);
      // A breaking-news banner is up on every page: its words are the page's too.
      const seed = await site.deps.db.selectFrom('articles').select('id').where('slug', '=', SEED_SLUG).executeTakeFirstOrThrow();
      await raiseBreakingAlert(site.deps, actor, { articleId: seed.id, text: 'Talks resume' });
      // Each story now lives at its edition's address.
      for (const language of Object.keys(stories) as StoryLanguage[]) {
        const res = await get(stories[language]);
        if (res.statusCode === 301) stories[language] = new URL(String(res.headers.location), TEST_SITE_URL).pathname;
      }
    });
    after(() => site?.close());

    /** The pages of one edition a reader can reach, with the status each must answer. */
    function pagesOf(language: (typeof EDITION_LANGUAGES)[number]): Array<[url: string, status: number]> {
      const base = language === 'en' ? '' : `/${language}`;
      const story = language === 'en' ? `/world/${SEED_SLUG}` : stories[language];
      assert.ok(story.startsWith(`${base}/`), `${language} story at ${story}`);
      const section = story.split('/').slice(0, -1).join('/');
      return [
        [`${base}/`, 200],
        [section, 200],
        [`${base}/tags/geneva-talks`, 200],
        [`${base}/authors/layla-mansour`, 200],
        [`${base}/search`, 200],
        [`${base}/search?q=geneve`, 200],
        [`${base}/search?q=xylophonist`, 200],
        [`${base}/no-such-page/at-all`, 404],
        [`${base}/comments/signin`, 200],
        [`${base}/comments/signup`, 200],
        [story, 200],
        [`${story}/comments`, 200],
      ];
    }

    it("each edition's pages follow the alert stream at its address, which pushes the banner in its words", async () => {
      await site.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (site.app.server.address() as AddressInfo).port;
      for (const language of ['fa', 'de'] as const) {
        const region = parseHTML((await get(`/${language}/`)).body).document.querySelector('[data-alert-stream]');
        assert.equal(region?.getAttribute('data-alert-stream'), `/${language}/alerts/stream`);
        const stream = await openStream(port, `/${language}/alerts/stream?since=none`);
        try {
          const [pushed] = await stream.waitFor((e) => e.some((x) => x.event === 'alert'));
          const banner = parseHTML(JSON.parse(pushed!.data).html).document;
          assert.equal(banner.querySelector('aside')?.getAttribute('aria-label'), LOCALES[language].catalog['layout.alertLandmark']);
          assert.equal(banner.querySelector('strong')?.textContent, LOCALES[language].catalog['layout.alertLabel']);
        } finally {
          stream.close();
        }
      }
    });

    it('a reader who signs up or in under an edition stays in it: account page and sign-out in its language', async () => {
      const reader = new NewsroomClient(site, '203.0.113.60');
      assert.equal((await reader.get('/es/comments/account')).headers.location, '/es/comments/signin');
      const signup = await reader.submit('/es/comments/signup', '/es/comments/signup', {
        displayName: 'Lector',
        email: 'lector@example.test',
        password: 'correct horse battery staple',
      });
      assert.equal(signup.statusCode, 303, signup.body);
      assert.match(String(signup.headers.location), /^\/es\/comments\/account\?notice=/);
      const account = await reader.get(String(signup.headers.location));
      const doc = parseHTML(account.body).document;
      assert.equal(doc.documentElement.getAttribute('lang'), 'es');
      assert.deepEqual(
        englishPhrases('es').filter((p) => visibleText(account.body).includes(p)),
        [],
      );
      const signOut = doc.querySelector('form[action$="/comments/signout"]')?.getAttribute('action');
      assert.equal(signOut, '/es/comments/signout');
      const out = await reader.request('POST', signOut!, { _csrf: csrfFrom(account.body) });
      assert.equal(out.headers.location, '/es/comments/signin?notice=signed-out');
    });

    for (const language of EDITION_LANGUAGES) {
      it(`${language}: no message key, ${language === 'en' ? '' : 'no English phrase, '}the page's language and direction`, async () => {
        const problems: string[] = [];
        for (const [url, status] of pagesOf(language)) {
          const res = await get(url);
          assert.ok(res.body.includes('class="breaking-alert"'), `${url} shows the banner`);
          if (res.statusCode !== status) {
            problems.push(`${url}: status ${res.statusCode}`);
            continue;
          }
          const { document } = parseHTML(res.body);
          if (document.documentElement.getAttribute('lang') !== language)
            problems.push(`${url}: lang ${document.documentElement.getAttribute('lang')}`);
          if (document.documentElement.getAttribute('dir') !== LOCALES[language].dir) problems.push(`${url}: dir`);
          for (const k of KEYS.filter((k) => res.body.includes(k))) problems.push(`${url}: key ${k}`);
          if (language === 'en') continue;
          const text = visibleText(res.body);
          for (const p of englishPhrases(language).filter((p) => text.includes(p))) problems.push(`${url}: English "${p}"`);
        }
        // Feeds carry words too: their titles and descriptions.
        if (language !== 'en') {
          const base = `/${language}`;
          for (const url of [`${base}/feed.xml`, `${base}/tags/geneva-talks/feed.atom`, `${base}/authors/layla-mansour/feed.json`]) {
            const res = await get(url);
            if (res.statusCode !== 200) problems.push(`${url}: status ${res.statusCode}`);
            for (const p of englishPhrases(language).filter((p) => res.body.includes(p))) problems.push(`${url}: English "${p}"`);
          }
        }
        assert.deepEqual(problems, []);
      });
    }
  });
}
