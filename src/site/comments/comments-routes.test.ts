import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import { buildArticleInput, hoursAgo, seedTaxonomy, type Taxonomy } from '../../../test/support/factories.ts';
import { NewsroomClient, csrfFrom } from '../../../test/support/newsroom-client.ts';
import { testDialects } from '../../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../../test/support/test-site.ts';
import { createArticle } from '../../domain/articles/article-service.ts';
import type { Article, CommentsPolicy } from '../../domain/articles/article.ts';
import { createTransportMailer } from '../../domain/readers/mailer.ts';

const PASSWORD = 'a long reader password';
let n = 0;

/** A reader's browser: signs up through the form and keeps the reader cookie. */
class Reader extends NewsroomClient {
  async signUp(name = 'Rita Reader'): Promise<string> {
    n += 1;
    const email = `reader${n}@example.test`;
    const res = await this.submit('/comments/signup', '/comments/signup', { displayName: name, email, password: PASSWORD });
    assert.equal(res.statusCode, 303, res.body);
    return email;
  }
  async sessionToken(articleId = ''): Promise<string> {
    return JSON.parse((await this.get(`/comments/session?article=${articleId}`)).body).csrfToken as string;
  }
  async post(article: Article, body: string, extra: Record<string, string> = {}) {
    // The token a plain form would carry (the write page itself is refused on closed stories).
    return this.request('POST', '/comments', { _csrf: await this.sessionToken(), articleId: article.id, body, ...extra });
  }
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: reader comments over HTTP`, { skip }, () => {
    let site: TestSite;
    let tax: Taxonomy;
    const story = async (policy: CommentsPolicy = 'open', publishedAt = hoursAgo(1)) => {
      n += 1;
      return createArticle(
        site.deps,
        buildArticleInput({ sectionId: tax.world.id, headline: `Comment test story ${n}`, commentsPolicy: policy, publishedAt }),
      );
    };

    before(async () => {
      site = await createTestSite(dialect);
      tax = await seedTaxonomy(site.deps);
    });
    after(() => site?.close());

    it('signs up through the form: reader cookie is HttpOnly, SameSite=Lax, Secure, path /; pages are private', async () => {
      const r = new Reader(site, '203.0.113.10');
      const form = await r.get('/comments/signup');
      assert.equal(form.statusCode, 200);
      assert.equal(form.headers['cache-control'], 'private, no-store');
      assert.match(form.body, /name="website"/, 'honeypot field');
      const noToken = await r.request('POST', '/comments/signup', { displayName: 'X Y', email: 'x@example.test', password: PASSWORD });
      assert.equal(noToken.statusCode, 403);
      const short = await r.submit('/comments/signup', '/comments/signup', {
        displayName: 'Rita',
        email: 'short@example.test',
        password: 'short',
      });
      assert.equal(short.statusCode, 400);
      assert.match(short.body, /at least 10 characters/);
      assert.match(short.body, /value="short@example.test"/, 'typed values are kept');
      const res = await r.submit('/comments/signup', '/comments/signup', {
        displayName: 'Rita Reader',
        email: 'rita@example.test',
        password: PASSWORD,
      });
      assert.equal(res.statusCode, 303);
      const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((h) => h.startsWith('masthead_reader='));
      assert.ok(cookie);
      for (const part of [/HttpOnly/, /SameSite=Lax/, /Secure/, /Path=\//]) assert.match(cookie, part);
      const account = await r.get('/comments/account');
      assert.match(account.body, /Signed in as <strong><bdi>Rita Reader<\/bdi><\/strong>/);
      const dup = await new Reader(site, '203.0.113.11').submit('/comments/signup', '/comments/signup', {
        displayName: 'Other',
        email: 'RITA@example.test',
        password: PASSWORD,
      });
      assert.equal(dup.statusCode, 409);
      assert.match(dup.body, /already exists/);
    });

    it('posts with a plain form (POST-redirect-GET); the thread, article page and front show it and the count', async () => {
      const a = await story();
      const closedStory = await story('closed');
      const r = new Reader(site, '203.0.113.12');
      const anonymous = await r.get(`/comments/write?article=${a.id}`);
      assert.equal((await new Reader(site).get(`/comments/write?article=${closedStory.id}`)).statusCode, 303);
      assert.equal(anonymous.statusCode, 303);
      assert.match(anonymous.headers.location!, /^\/comments\/signin\?next=/);
      await r.signUp('Paula Poster');
      const closedPage = await r.get(`/comments/write?article=${closedStory.id}`);
      assert.equal(closedPage.statusCode, 403);
      const res = await r.submit(`/comments/write?article=${a.id}`, '/comments', {
        articleId: a.id,
        body: 'Well reported.\n\nSee https://example.org/source for more.',
      });
      assert.equal(res.statusCode, 303);
      assert.match(res.headers.location!, new RegExp(`^/world/${a.slug}/comments\\?posted=published#c-`));
      const thread = await site.app.inject({ url: `/world/${a.slug}/comments` });
      assert.equal(thread.statusCode, 200);
      assert.match(String(thread.headers['cache-control']), /^public/);
      assert.equal(thread.headers['set-cookie'], undefined, 'the public thread sets no cookie');
      assert.match(String(thread.headers['content-security-policy']), /script-src 'self'/);
      assert.match(thread.body, /<bdi class="comment__author">Paula Poster<\/bdi>/);
      assert.match(
        thread.body,
        /<p>Well reported\.<\/p><p>See <a href="https:\/\/example.org\/source" rel="nofollow ugc noopener" target="_blank">https:\/\/example.org\/source<\/a> for more\.<\/p>/,
      );
      assert.match(thread.body, /<script src="\/static\/comments\.js\?v=[0-9a-f]+" defer><\/script>/);
      // A meta description naming the story and what it is about (the page had none).
      const description = /<meta name="description" content="([^"]*)">/.exec(thread.body)?.[1];
      assert.equal(description, `Comments on: ${a.headline}. ${a.standfirst}`);
      const articlePage = await site.app.inject({ url: `/world/${a.slug}` });
      assert.match(articlePage.body, /Comments <span class="comments__count">\(1\)<\/span>/);
      assert.match(articlePage.body, new RegExp(`href="/world/${a.slug}/comments">Read 1 comment and join the discussion`));
      const front = await site.app.inject({ url: '/world' });
      assert.match(front.body, /1 comment</);
    });

    it('posts and replies with JSON (fetch from comments.js) and answers with the rendered comment', async () => {
      const a = await story();
      const r = new Reader(site, '203.0.113.13');
      await r.signUp('Jason Json');
      const token = await r.sessionToken(a.id);
      const res = await r.json('POST', '/comments', { articleId: a.id, body: 'Posted in place <b>bold?</b>' }, token);
      assert.equal(res.statusCode, 201);
      const out = JSON.parse(res.body);
      assert.equal(out.status, 'published');
      assert.equal(out.count, 1);
      assert.match(out.html, /Posted in place &lt;b&gt;bold\?&lt;\/b&gt;/);
      const reply = JSON.parse((await r.json('POST', '/comments', { articleId: a.id, parentId: out.id, body: 'And a reply' }, token)).body);
      assert.equal(reply.threadId, out.id);
      assert.match(reply.html, /^<li><article class="comment comment--new"/);
      const anonymous = await new Reader(site).get(`/comments/session?article=${a.id}`);
      assert.deepEqual(JSON.parse(anonymous.body), { signedIn: false, open: true, moderated: false, verificationRequired: false });
      assert.equal(anonymous.headers['set-cookie'], undefined, 'anonymous visitors get no cookie');
      const session = await r.get(`/comments/session?article=${a.id}&ids=${out.id}`);
      assert.equal(session.headers['cache-control'], 'private, no-store');
      const s = JSON.parse(session.body);
      assert.equal(s.signedIn, true);
      assert.equal(s.reader.displayName, 'Jason Json');
      assert.deepEqual(s.editable.map((e: { id: string }) => e.id).sort(), [out.id, reply.id].sort());
      const tooLong = await r.json('POST', '/comments', { articleId: a.id, body: 'x'.repeat(2500) }, token);
      assert.equal(tooLong.statusCode, 400);
      assert.match(JSON.parse(tooLong.body).error, /too long: 2,500 characters; the limit is 2,000/);
    });

    it('refuses forged and cross-site posts, and anonymous JSON', async () => {
      const a = await story();
      const r = new Reader(site, '203.0.113.14');
      await r.signUp();
      const token = await r.sessionToken(a.id);
      assert.equal((await r.request('POST', '/comments', { articleId: a.id, body: 'No token' })).statusCode, 403);
      assert.equal((await r.request('POST', '/comments', { _csrf: 'x'.repeat(43), articleId: a.id, body: 'Bad token' })).statusCode, 403);
      assert.equal(
        (await r.json('POST', '/comments', { articleId: a.id, body: 'Cross site' }, token, { origin: 'https://evil.example' })).statusCode,
        403,
      );
      assert.equal((await new Reader(site).json('POST', '/comments', { articleId: a.id, body: 'Anonymous' }, token)).statusCode, 401);
      const thread = await site.app.inject({ url: `/world/${a.slug}/comments` });
      assert.match(thread.body, /No comments yet/);
    });

    it('policy over HTTP: closed refuses, pre-moderated queues, auto-closed refuses; honeypot stores nothing', async () => {
      const r = new Reader(site, '203.0.113.15');
      await r.signUp();
      const closed = await story('closed');
      const refused = await r.post(closed, 'Let me in');
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /Comments are closed/);
      const old = await story('open', hoursAgo(24 * 20));
      assert.equal((await r.post(old, 'Too late')).statusCode, 403);
      const moderated = await story('moderated');
      const queued = await r.post(moderated, 'Waiting for approval');
      assert.match(queued.headers.location!, /\?posted=pending#compose$/);
      const thread = await site.app.inject({ url: queued.headers.location! });
      assert.match(thread.body, /will appear once an editor has approved it/);
      assert.ok(!thread.body.includes('Waiting for approval'));
      const open = await story();
      const bot = await r.post(open, 'I am a bot', { website: 'https://spam.example' });
      assert.equal(bot.statusCode, 303);
      const count = await site.deps.db
        .selectFrom('comments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('article_id', '=', open.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0, 'a filled honeypot stores nothing');
    });

    it('edit, delete, like and report without JavaScript', async () => {
      const a = await story();
      const author = new Reader(site, '203.0.113.16');
      await author.signUp('Edith Editor');
      const loc = (await author.post(a, 'Frist post')).headers.location!;
      const id = /#c-(.+)$/.exec(loc)![1]!;
      const account = await author.get('/comments/account');
      assert.match(account.body, new RegExp(`/comments/${id}/edit`));
      const edited = await author.submit(`/comments/${id}/edit`, `/comments/${id}/edit`, { body: 'First post' });
      assert.match(edited.headers.location!, /posted=edited/);
      const fan = new Reader(site, '203.0.113.17');
      await fan.signUp('Fan');
      assert.equal((await fan.get(`/comments/${id}/edit`)).statusCode, 404, 'not your comment');
      assert.match((await fan.submit(`/comments/${id}/like`, `/comments/${id}/like`, {})).headers.location!, /posted=liked/);
      assert.match(
        (await fan.submit(`/comments/${id}/report`, `/comments/${id}/report`, { reason: 'Off topic' })).headers.location!,
        /posted=reported/,
      );
      const thread = await site.app.inject({ url: `/world/${a.slug}/comments` });
      assert.match(thread.body, /First post/);
      assert.match(thread.body, /<span class="comment__likes">1<\/span>/);
      assert.match(thread.body, /\(edited\)/);
      assert.match((await author.submit(`/comments/${id}/delete`, `/comments/${id}/delete`, {})).headers.location!, /posted=deleted/);
      assert.ok(!(await site.app.inject({ url: `/world/${a.slug}/comments` })).body.includes('First post'));
    });

    it('with SMTP configured: sign-up emails a link; unverified comments wait until it is used', async () => {
      const sent: string[] = [];
      const transport = nodemailer.createTransport({ jsonTransport: true });
      const mailer = createTransportMailer(transport, 'news@example.test');
      site.deps.mailer = {
        send: async (m) => {
          sent.push(m.text);
          await mailer.send(m);
        },
      };
      try {
        const a = await story();
        const r = new Reader(site, '203.0.113.18');
        await r.signUp('Vera Verify');
        assert.equal(sent.length, 1);
        const link = /https:\/\/news\.example\.test(\/comments\/verify\?token=[A-Za-z0-9_-]+)/.exec(sent[0]!)?.[1];
        assert.ok(link);
        assert.match((await r.post(a, 'Before confirming')).headers.location!, /posted=pending/);
        const ok = await r.get(link);
        assert.equal(ok.statusCode, 200);
        assert.match(ok.body, /Email confirmed/);
        assert.equal((await r.get(link)).statusCode, 400, 'a link works once');
        assert.match((await r.post(a, 'After confirming')).headers.location!, /posted=published/);
      } finally {
        delete site.deps.mailer;
      }
    });

    it('signs in and out; failed sign-ins are throttled', async () => {
      const r = new Reader(site, '203.0.113.19');
      const email = await r.signUp('Sid Signin');
      await r.submit('/comments/account', '/comments/signout', {});
      assert.equal((await r.get('/comments/account')).statusCode, 303);
      const wrong = await r.submit('/comments/signin', '/comments/signin', { email, password: 'not the password' });
      assert.equal(wrong.statusCode, 401);
      assert.equal((await r.submit('/comments/signin', '/comments/signin', { email, password: PASSWORD })).statusCode, 303);
      assert.equal((await r.get('/comments/account')).statusCode, 200);
      const bad = new Reader(site, '203.0.113.20');
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await bad.submit('/comments/signin', '/comments/signin', { email, password: `wrong ${i}` })).statusCode);
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
      assert.match(csrfFrom((await bad.get('/comments/signin')).body), /^[A-Za-z0-9_-]{43}$/);
    });

    it('sign-in throttling works like the newsroom’s: a successful sign-in clears that email’s failures from that address', async () => {
      const r = new Reader(site, '203.0.113.21');
      const email = await r.signUp('Tess Typo');
      await r.submit('/comments/account', '/comments/signout', {});
      const signIn = (password: string) => r.submit('/comments/signin', '/comments/signin', { email, password });
      for (let i = 0; i < 4; i++) assert.equal((await signIn(`typo ${i}`)).statusCode, 401);
      assert.equal((await signIn(PASSWORD)).statusCode, 303);
      await r.submit('/comments/account', '/comments/signout', {});
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await signIn(`typo again ${i}`)).statusCode);
      assert.deepEqual(statuses, [401, 401, 401, 401, 401], 'five fresh tries, not one');
      const blocked = await signIn(PASSWORD);
      assert.equal(blocked.statusCode, 429);
      assert.match(blocked.body, /Too many attempts, try again in 15 minutes\./);
      assert.ok(Number(blocked.headers['retry-after']) > 800);
    });
  });
}
