import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../support/test-db.ts';
import { buildArticleInput, seedTaxonomy } from '../support/factories.ts';
import { seedUser } from '../support/account-factories.ts';
import { browserSkipReason, signInThroughForm } from '../support/browser.ts';
import { createArticle } from '../../src/domain/articles/article-service.ts';
import type { Article } from '../../src/domain/articles/article.ts';
import { postComment, type CommentDeps } from '../../src/domain/comments/comment-service.ts';
import { normalizeCommentText } from '../../src/domain/comments/comment-text.ts';
import type { RateLimiter } from '../../src/domain/rate-limits/rate-limiter.ts';
import { signUpReader } from '../../src/domain/readers/reader-service.ts';
import { createReaderSession, resolveReaderSession } from '../../src/domain/readers/reader-sessions.ts';
import { ValidationError } from '../../src/domain/errors.ts';
import { startCommentsEnv, watchedContext, type CommentsBrowserEnv } from './comments-support.ts';

/*
 * Hostile input: XSS and injection payloads posted as comments and display names must render
 * as inert text. Checked in Chromium: no dialog opens, nothing sets window.__pwned, no CSP
 * violation is even attempted by our markup, and each comment body holds only the elements
 * comments can produce (p, br, and http(s) links with rel="nofollow ugc noopener").
 */

const PWN = 'window.__pwned=1;alert(1)';
const BODIES: string[] = [
  `<script>${PWN}</script>`,
  `<img src=x onerror="${PWN}">`,
  `<svg onload="${PWN}"><script>alert(2)</script></svg>`,
  '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
  'javascript:alert(1)',
  `[click me](javascript:${PWN})`,
  `<a href="javascript:${PWN}">click</a>`,
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<details open ontoggle=alert(1)>x</details>',
  '<style>body{display:none}</style><link rel=stylesheet href=//evil.example/x.css>',
  'https://example.com/"onmouseover="alert(1)" x="',
  'https://example.com/<script>alert(1)</script>',
  'www.example.com/?q=<img/src/onerror=alert(1)>',
  "{{constructor.constructor('alert(1)')()}} ${alert(1)} #{alert(1)}",
  '\u202Egnp.exe evil right-to-left override \u202C after',
  'zero\u200Bwidth\u200Djoiner\uFEFFbom\u2066isolate',
  'homoglyph https://pаypal.com/login (Cyrillic а)',
  "'; DROP TABLE comments; --",
  '" OR 1=1 -- ',
  '<!-- hidden --> <![CDATA[ x ]]> &lt;script&gt;alert(1)&lt;/script&gt; &#60;script&#62;',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<form action="https://evil.example"><button>Win</button></form><input autofocus onfocus=alert(1)>',
  'null\u0000byte and \u0007bell',
  '<script>alert(1)</script>'.repeat(80), // exactly 2,000 characters
];
const NAMES: string[] = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  '\u202Enimda',
  'Ad\u200Bmin',
  'Аdmin',
  'javascript:alert(1)',
];

const browserSkip = browserSkipReason();
const { dialect, skip } = (await testDialects())[0]!;

describe(`hostile comments render as inert text in Chromium (${dialect})`, { skip: browserSkip || skip }, () => {
  let env: CommentsBrowserEnv;
  let article: Article;
  let threadPath: string;
  const never: RateLimiter = {
    consume: async () => ({ ok: true }),
    peek: async () => ({ ok: true }),
    reset: async () => {},
    close: async () => {},
  };

  before(async () => {
    env = await startCommentsEnv(dialect);
    const tax = await seedTaxonomy(env.deps);
    article = await createArticle(env.deps, buildArticleInput({ sectionId: tax.world.id, headline: 'A story that attracts trolls' }));
    threadPath = `/world/${article.slug}/comments`;
    const deps: CommentDeps = {
      db: env.deps.db,
      clock: env.deps.clock,
      limiter: never,
      rules: { ...env.deps.config.comments, maxLinks: 100 },
    };
    for (const [i, name] of NAMES.entries()) {
      const { reader } = await signUpReader(
        deps,
        { displayName: name, email: `troll${i}@example.test`, password: 'troll password 123' },
        { siteUrl: env.origin, siteName: 'News' },
      );
      const s = (await resolveReaderSession(deps, (await createReaderSession(deps, reader.id)).token))!;
      for (const [j, body] of BODIES.entries()) {
        if (j % NAMES.length !== i) continue;
        const out = await postComment(deps, s, { articleId: article.id, body }, { ip: `198.51.100.${j}` });
        assert.equal(out.status, 'published', `payload ${j} is published as text`);
      }
    }
    // Longer than the limit: refused with a clear message, never stored.
    const { reader } = await signUpReader(
      deps,
      { displayName: 'Long Writer', email: 'long@example.test', password: 'troll password 123' },
      { siteUrl: env.origin, siteName: 'News' },
    );
    const s = (await resolveReaderSession(deps, (await createReaderSession(deps, reader.id)).token))!;
    await assert.rejects(
      postComment(deps, s, { articleId: article.id, body: '<script>alert(1)</script>'.repeat(4000) }, { ip: '198.51.100.200' }),
      (e) => e instanceof ValidationError && /too long: 100,000 characters/.test(e.message),
    );
    await assert.rejects(
      signUpReader(
        deps,
        { displayName: 'x'.repeat(5000), email: 'longname@example.test', password: 'troll password 123' },
        { siteUrl: env.origin, siteName: 'News' },
      ),
      /at most 40 characters/,
    );
  });
  after(() => env?.close());

  /** Checks a loaded page: no script ran, and every comment body holds only what comments can produce. */
  async function assertInert(page: import('playwright-core').Page, expectBodies: number): Promise<void> {
    const report = await page.evaluate(() => {
      const w = window as unknown as { __pwned?: unknown };
      const bodies = [...document.querySelectorAll('.comment__body')];
      const bad: string[] = [];
      for (const b of bodies) {
        for (const el of b.querySelectorAll('*')) {
          const tag = el.tagName.toLowerCase();
          if (tag === 'p' || tag === 'br') {
            if (el.attributes.length) bad.push(`${tag} with attributes`);
            continue;
          }
          if (tag !== 'a') {
            bad.push(tag);
            continue;
          }
          const href = el.getAttribute('href') ?? '';
          const names = [...el.attributes]
            .map((a) => a.name)
            .sort()
            .join(',');
          if (!/^https?:\/\//.test(href) || el.getAttribute('rel') !== 'nofollow ugc noopener' || names !== 'href,rel,target')
            bad.push(`a ${names} ${href}`);
        }
      }
      const authors = [...document.querySelectorAll('.comment__author')].map((a) => ({
        children: a.children.length,
        text: a.textContent ?? '',
      }));
      return {
        pwned: w.__pwned,
        bodies: bodies.length,
        bad,
        authors,
        scripts: document.scripts.length,
        iframes: document.querySelectorAll('iframe, object, embed, base, meta[http-equiv]').length,
      };
    });
    assert.equal(report.pwned, undefined, 'no payload set window.__pwned');
    assert.deepEqual(report.bad, [], 'comment bodies hold only p, br and safe links');
    assert.equal(report.bodies, expectBodies);
    assert.ok(
      report.authors.every((a) => a.children === 0),
      'display names are text only',
    );
    assert.equal(report.iframes, 0, 'no iframe, object, base or meta refresh was injected');
  }

  test('the public thread (with comments.js running for a signed-in reader)', async () => {
    const w = await watchedContext(env.browser);
    const page = await w.context.newPage();
    // Signed in, so comments.js enhances every comment (likes, replies, reports).
    await page.goto(`${env.origin}/comments/signup?next=${encodeURIComponent(threadPath)}`);
    await page.getByLabel('Display name').fill('Careful Reader');
    await page.getByLabel('Email').fill('careful@example.test');
    await page.getByLabel('Password').fill('careful reader password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${env.origin}${threadPath}`);
    await page.getByLabel(/^Your comment \(as Careful Reader\)/).waitFor();
    await assertInert(page, BODIES.length);

    // The text reads back exactly as typed (after normalisation): inert, not dropped.
    const texts = await page
      .locator('.comment__body')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.replace(/\n+/g, '\n').trim()));
    for (const body of [BODIES[0]!, BODIES[1]!, BODIES[6]!, BODIES[20]!])
      assert.ok(texts.includes(normalizeCommentText(body)), `shown as text: ${body}`);
    const links = await page.locator('.comment__body a').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    assert.ok(
      links.some((h) => h?.startsWith('https://xn--')),
      'look-alike domain linked by its punycode name',
    );
    assert.ok(links.every((h) => !/^javascript:|^data:/i.test(h ?? '')));
    const names = await page.locator('.comment__author').allTextContents();
    assert.ok(names.includes('<script>alert(1)</script>'));
    assert.ok(names.includes('nimda') && names.includes('Admin'), 'bidi override and zero-width characters are removed from names');

    // Posting a payload in place (server-rendered fragment inserted by comments.js) is inert too.
    await page.getByLabel(/^Your comment/).fill(`<img src=x onerror="${PWN}"> posted in place`);
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.locator('.comment__body', { hasText: 'posted in place' }).waitFor();
    await page.waitForTimeout(300);
    await assertInert(page, BODIES.length + 1);

    assert.deepEqual(w.dialogs, [], 'no alert/confirm/prompt dialog opened');
    assert.deepEqual(await w.cspViolations(), [], 'no blocked inline script or style was even attempted');
    assert.deepEqual(w.problems, []);
    await w.context.close();
  });

  test('the same payloads in the newsroom moderation queue', async () => {
    const editor = await seedUser(env.deps, 'editor');
    const w = await watchedContext(env.browser);
    const page = await w.context.newPage();
    await signInThroughForm(page, env.origin, editor.email);
    await page.goto(`${env.origin}/newsroom/comments?view=all`);
    const report = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      injected: [...document.querySelectorAll('.nr-cm-body')].filter((b) => b.children.length > 0).length,
      rows: document.querySelectorAll('.nr-cm-body').length,
    }));
    assert.equal(report.pwned, undefined);
    assert.equal(report.injected, 0, 'comment text in the queue holds no elements');
    assert.ok(report.rows >= BODIES.length);
    assert.deepEqual(w.dialogs, []);
    assert.deepEqual(await w.cspViolations(), []);
    assert.deepEqual(w.problems, []);
    await w.context.close();
  });
});
