import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { seedStaff } from '../../test/support/account-factories.ts';
import { buildArticleInput, FIXED_NOW, paragraphs, seedTaxonomy, type Taxonomy } from '../../test/support/factories.ts';
import { NewsroomClient, csrfFrom, signedInClients } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import type { Actor } from '../domain/accounts/role.ts';
import type { User } from '../domain/accounts/user.ts';
import type { Article } from '../domain/articles/article.ts';
import { findArticleById } from '../domain/articles/article-repository.ts';
import { listJobs, publishDue } from '../domain/articles/article-scheduler.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { listAuditEntries, recordAuditEvent } from '../domain/audit/audit-log.ts';
import { AUDIT_PAGE_SIZE } from '../domain/audit/audit-browser.ts';

/*
 * The workflow screens over HTTP, on both databases: every action through its route with
 * the right role and the wrong one (403, nothing changed), schedules with time zones, stale
 * revisions (409), history/diff/restore, notes on the public page and in its JSON-LD, the
 * desk lists and the audit log's filters and pages.
 */

const actorOf = (u: User): Actor => ({ userId: u.id, role: u.role });

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: workflow screens over HTTP`, { skip }, () => {
    let site: TestSite;
    let tax: Taxonomy;
    let now = FIXED_NOW;
    let editor: User;
    let author: User;
    let otherAuthor: User;
    let contributor: User;
    let clients: Map<string, NewsroomClient>;

    before(async () => {
      site = await createTestSite(dialect, { clock: () => now });
      tax = await seedTaxonomy(site.deps);
      ({ editor, author, otherAuthor, contributor } = await seedStaff(site.deps, {
        editor: ['editor', 'Eda <Editor>'],
        author: ['author', 'Ann Author'],
        otherAuthor: ['author', 'Otto Other'],
        contributor: ['contributor', 'Cora Contributor'],
      }));
      clients = await signedInClients(site, [editor, author, otherAuthor, contributor]);
    });
    after(() => site?.close());

    const as = (u: User) => clients.get(u.id)!;
    const story = async (owner: User, overrides: Partial<Parameters<typeof buildArticleInput>[0]> = {}) =>
      createArticle(
        site.deps,
        buildArticleInput({ sectionId: tax.world.id, status: 'draft', publishedAt: undefined, authorIds: [tax.reporter.id], ...overrides }),
        {
          actor: actorOf(owner),
        },
      );
    const reload = async (a: Pick<Article, 'id'>) => (await findArticleById(site.deps.db, a.id))!;
    /** Posts a story form the way the history page does (its CSRF token, the story's current revision). */
    const post = async (u: User, a: Pick<Article, 'id'>, path: string, fields: Record<string, string>) => {
      const c = as(u);
      const token = await c.csrfToken();
      const revision = String((await reload(a)).revision);
      return c.request('POST', `/newsroom/stories/${a.id}${path}`, { _csrf: token, expectedRevision: revision, ...fields });
    };

    it('contributor submits their own draft; may not publish it, nor touch another story: 403 and nothing changes', async () => {
      const own = await story(contributor, { headline: 'Council votes on the budget' });
      const res = await post(contributor, own, '/workflow', { action: 'submit' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/newsroom/stories/${own.id}`);
      const submitted = await reload(own);
      assert.equal(submitted.status, 'in_review');
      const audit = await listAuditEntries(site.deps.db, { subjectType: 'article', subjectId: own.id });
      assert.deepEqual(
        audit.map((e) => [e.action, e.actorUserId, e.details.from, e.details.to]),
        [['article.submit', contributor.id, 'draft', 'in_review']],
      );

      for (const action of ['publish', 'return_to_draft']) {
        const refused = await post(contributor, own, '/workflow', { action });
        assert.equal(refused.statusCode, 403, action);
        assert.match(refused.body, /A contributor may not/);
        assert.match(refused.body, /Nothing was changed/);
        assert.match(refused.body, new RegExp(`href="/newsroom/stories/${own.id}"`), 'links back to the story');
      }
      const others = await story(author, { headline: 'Someone else’s draft' });
      const foreign = await post(contributor, others, '/workflow', { action: 'submit' });
      assert.equal(foreign.statusCode, 403);
      assert.equal((await reload(own)).revision, submitted.revision, 'nothing changed');
      assert.equal((await reload(others)).status, 'draft');
      // Notes, embargo, restore and the desk lists are above a contributor's role entirely.
      assert.equal((await post(contributor, own, '/notes', { kind: 'update', text: 'x' })).statusCode, 403);
      assert.equal((await post(contributor, own, '/embargo', { at: '2026-12-01T10:00', tz: 'UTC' })).statusCode, 403);
      assert.equal((await post(contributor, own, '/history/1/restore', {})).statusCode, 403);
      assert.equal((await as(contributor).get('/newsroom/review')).statusCode, 403);
      assert.equal((await as(contributor).get('/newsroom/audit')).statusCode, 403);
    });

    it('author publishes, unpublishes and republishes their own story, but not another author’s', async () => {
      const own = await story(author, { headline: 'Harbour reopens after storm' });
      const foreign = await story(otherAuthor, { headline: 'Not yours' });
      const refused = await post(author, foreign, '/workflow', { action: 'publish' });
      assert.equal(refused.statusCode, 403);
      assert.equal((await reload(foreign)).status, 'draft');

      for (const [action, status] of [
        ['publish', 'published'],
        ['unpublish', 'unpublished'],
        ['republish', 'published'],
      ] as const) {
        now = new Date(now.getTime() + 60_000);
        const res = await post(author, own, '/workflow', { action, returnTo: `/newsroom/stories/${own.id}/history` });
        assert.equal(res.statusCode, 303, action);
        assert.equal(res.headers.location, `/newsroom/stories/${own.id}/history`, 'returns to the page it came from');
        assert.equal((await reload(own)).status, status);
      }
      const page = await as(author).get(`/newsroom/stories/${own.id}/history`);
      assert.match(page.body, /The story is published again\./, 'flash after the redirect');
      assert.deepEqual(
        (await listAuditEntries(site.deps.db, { subjectType: 'article', subjectId: own.id })).map((e) => e.action),
        ['article.republish', 'article.unpublish', 'article.publish'],
      );
      // returnTo never leaves the story's own pages.
      const sneaky = await post(author, own, '/workflow', { action: 'unpublish', returnTo: 'https://evil.example/' });
      assert.equal(sneaky.headers.location, `/newsroom/stories/${own.id}`);
    });

    it('schedule reads the time in the chosen zone, stores a job, shows the time; cancel clears it', async () => {
      const s = await story(author, { headline: 'Budget day preview' });
      await post(author, s, '/workflow', { action: 'submit' });
      const res = await post(editor, s, '/workflow', { action: 'schedule', at: '2026-11-26T06:00', tz: 'Europe/Paris' });
      assert.equal(res.statusCode, 303);
      const scheduled = await reload(s);
      assert.equal(scheduled.status, 'scheduled');
      assert.equal(scheduled.scheduledAt, '2026-11-26T05:00:00.000Z', '06:00 in Paris is 05:00 UTC');
      const jobs = await listJobs(site.deps.db, s.id);
      assert.deepEqual(
        jobs.map((j) => [j.status, j.runAt]),
        [['pending', '2026-11-26T05:00:00.000Z']],
      );

      const panel = parseHTML((await as(editor).get(`/newsroom/stories/${s.id}/history`)).body).document;
      const facts = panel.querySelector('.nr-workflow .nr-facts')!.textContent!;
      assert.match(facts, /Scheduled for.*26 Nov 2026, 05:00 UTC/s);
      assert.equal(panel.querySelector('.nr-workflow time[datetime="2026-11-26T05:00:00.000Z"]')?.hasAttribute('data-nr-local'), true);
      const buttons = [...panel.querySelectorAll('.nr-workflow button')].map((b) => b.textContent!.trim());
      assert.ok(
        buttons.includes('Cancel schedule') && buttons.includes('Publish now') && buttons.includes('Reschedule'),
        buttons.join(', '),
      );
      assert.ok(!buttons.includes('Submit for review') && !buttons.includes('Unpublish'));

      // The scheduled list shows it with its time; the review queue no longer does.
      const list = await as(editor).get('/newsroom/scheduled');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Budget day preview/);
      assert.match(list.body, /datetime="2026-11-26T05:00:00.000Z"/);
      assert.doesNotMatch((await as(editor).get('/newsroom/review')).body, /Budget day preview/);
      assert.equal((await as(author).get('/newsroom/scheduled')).statusCode, 403, 'desk lists are for editors');

      // A past time, an impossible time, an unknown zone: 400 with the reason, nothing changed.
      for (const [at, tz, message] of [
        ['2026-11-24T06:00', 'UTC', /has passed/],
        ['2026-02-30T06:00', 'UTC', /not a real date/],
        ['2026-11-26T06:00', 'Mars/Olympus', /not a time zone/],
        ['soon', 'UTC', /enter a date and time/],
      ] as const) {
        const bad = await post(editor, s, '/workflow', { action: 'schedule', at, tz });
        assert.ok(bad.statusCode === 400 || bad.statusCode === 409, `${at}: ${bad.statusCode}`);
        assert.match(bad.body, message);
      }
      assert.equal((await reload(s)).revision, scheduled.revision);

      assert.equal((await post(editor, s, '/workflow', { action: 'cancel_schedule' })).statusCode, 303);
      assert.equal((await reload(s)).status, 'draft');
      assert.deepEqual(
        (await listJobs(site.deps.db, s.id)).map((j) => j.status),
        ['cancelled'],
      );
    });

    it('a scheduled story goes live when the scheduler runs, recorded in the audit log as the system', async () => {
      const s = await story(editor, { headline: 'Overnight results' });
      await post(editor, s, '/workflow', { action: 'schedule', at: '2026-11-25T13:00:00Z' });
      const result = await publishDue(site.deps, new Date('2026-11-25T13:00:01Z'));
      assert.deepEqual(result.published, [s.id]);
      const [entry] = await listAuditEntries(site.deps.db, { subjectType: 'article', subjectId: s.id, limit: 1 });
      assert.deepEqual([entry!.action, entry!.actorUserId], ['article.publish', null]);
    });

    it('a stale expectedRevision is refused with 409; a missing one or an unknown action with 400', async () => {
      const s = await story(author, { headline: 'Two editors at once' });
      const token = await as(author).csrfToken();
      const stale = await as(author).request('POST', `/newsroom/stories/${s.id}/workflow`, {
        _csrf: token,
        action: 'submit',
        expectedRevision: String(s.revision - 1 || 99),
      });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /changed by someone else/);
      const missing = await as(author).request('POST', `/newsroom/stories/${s.id}/workflow`, { _csrf: token, action: 'submit' });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /expectedRevision/);
      const unknown = await post(author, s, '/workflow', { action: 'delete_everything' });
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /action: choose one of/);
      const wrongState = await post(author, s, '/workflow', { action: 'unpublish' });
      assert.equal(wrongState.statusCode, 409);
      assert.match(wrongState.body, /Cannot unpublish a story that is a draft/);
      assert.equal((await reload(s)).status, 'draft');
      assert.equal(
        (
          await as(author).request('POST', '/newsroom/stories/not-an-id/workflow', {
            _csrf: token,
            action: 'submit',
            expectedRevision: '1',
          })
        ).statusCode,
        404,
      );
    });

    it('embargo: set through the panel, publishing held (no button, 409), lifted again', async () => {
      const s = await story(author, { headline: 'Embargoed report' });
      const set = await post(author, s, '/embargo', { at: '2026-11-27T09:00', tz: 'Europe/London' });
      assert.equal(set.statusCode, 303);
      assert.equal((await reload(s)).embargoUntil, '2026-11-27T09:00:00.000Z');
      const panel = parseHTML((await as(author).get(`/newsroom/stories/${s.id}/history`)).body).document;
      const buttons = [...panel.querySelectorAll('.nr-workflow button')].map((b) => b.textContent!.trim());
      assert.ok(!buttons.includes('Publish now'), 'no publish button while the embargo holds');
      assert.match(panel.querySelector('.nr-workflow')!.textContent!, /Publishing is held by the embargo/);
      const early = await post(author, s, '/workflow', { action: 'publish' });
      assert.equal(early.statusCode, 409);
      assert.match(early.body, /under embargo until 2026-11-27T09:00:00.000Z/);
      assert.equal((await post(otherAuthor, s, '/embargo', { lift: '1' })).statusCode, 403, 'not their story');
      assert.equal((await post(author, s, '/embargo', { lift: '1' })).statusCode, 303);
      assert.equal((await reload(s)).embargoUntil, null);
      assert.deepEqual(
        (await listAuditEntries(site.deps.db, { subjectType: 'article', subjectId: s.id })).map((e) => e.action),
        ['article.embargo', 'article.embargo'],
      );
    });

    it('history lists who did what; the diff marks insertions and deletions in words; an editor restores', async () => {
      const s = await story(author, {
        headline: 'Minister resigns',
        body: paragraphs('The minister resigned on Monday.', 'Her deputy takes over.'),
      });
      now = new Date(now.getTime() + 60_000);
      await post(author, s, '/workflow', { action: 'publish' });
      const published = await reload(s);
      const { updateArticle } = await import('../domain/articles/article-service.ts');
      now = new Date(now.getTime() + 60_000);
      const edited = await updateArticle(
        site.deps,
        s.id,
        {
          ...published,
          headline: 'Minister resigns over leaked budget',
          body: paragraphs('The minister resigned on Tuesday.', 'Her deputy takes over.'),
        },
        published.revision,
        { actor: actorOf(author) },
      );

      const page = await as(editor).get(`/newsroom/stories/${s.id}/history`);
      assert.equal(page.statusCode, 200);
      const doc = parseHTML(page.body).document;
      const rows = [...doc.querySelectorAll('tbody tr')].map((tr) =>
        [...tr.querySelectorAll('th, td')].slice(0, 4).map((c) => c.textContent!.trim()),
      );
      assert.deepEqual(
        rows.map((r) => [r[0], r[2], r[3]]),
        [
          [`${edited.revision} (current)`, 'Ann Author', 'Saved'],
          [String(published.revision), 'Ann Author', 'Published'],
          ['1', 'Ann Author', 'Created'],
        ],
      );
      assert.ok(doc.querySelector(`form[action="/newsroom/stories/${s.id}/history/1/restore"]`), 'editors get restore buttons');
      const authorsView = await as(author).get(`/newsroom/stories/${s.id}/history`);
      assert.doesNotMatch(authorsView.body, /\/restore"/, 'authors do not');
      assert.equal((await as(otherAuthor).get(`/newsroom/stories/${s.id}/history`)).statusCode, 403, 'another author’s story');

      const diff = await as(editor).get(`/newsroom/stories/${s.id}/history/diff?from=${published.revision}&to=${edited.revision}`);
      assert.equal(diff.statusCode, 200);
      const d = parseHTML(diff.body).document;
      const headline = d.querySelector('#diff-headline')!.parentElement!;
      assert.equal(headline.querySelector('ins')!.textContent, '[added: over leaked budget]');
      const body = [...d.querySelectorAll('.nr-diff--body li')].map((li) => li.textContent!.trim());
      assert.deepEqual(body, [
        '−Removed: The minister resigned on Monday.',
        '+Added: The minister resigned on Tuesday.',
        'Her deputy takes over.',
      ]);
      assert.equal(d.querySelectorAll('.nr-diff--body del').length, 1);
      for (const bad of ['from=0&to=1', 'from=x&to=1', 'to=1']) {
        const r = await as(editor).get(`/newsroom/stories/${s.id}/history/diff?${bad}`);
        assert.equal(r.statusCode, 400, bad);
        assert.match(r.body, /choose a revision number/);
      }
      assert.equal((await as(editor).get(`/newsroom/stories/${s.id}/history/diff?from=1&to=999`)).statusCode, 404);

      // Restore: an author may not use the route; an editor restores revision 1's text.
      assert.equal((await post(author, s, '/history/1/restore', {})).statusCode, 403);
      assert.equal((await reload(s)).revision, edited.revision);
      const restored = await post(editor, s, '/history/1/restore', { returnTo: `/newsroom/stories/${s.id}/history` });
      assert.equal(restored.statusCode, 303);
      const after = await reload(s);
      assert.equal(after.headline, 'Minister resigns');
      assert.equal(after.status, 'published');
      const [entry] = await listAuditEntries(site.deps.db, { subjectType: 'article', subjectId: s.id, limit: 1 });
      assert.deepEqual([entry!.action, entry!.actorUserId, entry!.details.restoredRevision], ['article.restore', editor.id, 1]);
      // A stale restore (the page was loaded before someone else's change) is a 409.
      const token = await as(editor).csrfToken();
      const staleRestore = await as(editor).request('POST', `/newsroom/stories/${s.id}/history/2/restore`, {
        _csrf: token,
        expectedRevision: String(edited.revision),
      });
      assert.equal(staleRestore.statusCode, 409);
    });

    it('notes: an update and a correction show on the public page with their time and in the JSON-LD', async () => {
      const s = await story(author, { headline: 'Bridge closes for repairs', slug: 'bridge-closes-for-repairs', publishedAt: undefined });
      now = new Date('2026-11-25T12:30:00.000Z');
      await post(author, s, '/workflow', { action: 'publish' });
      const publicPath = '/world/bridge-closes-for-repairs';
      const before = parseHTML((await site.app.inject({ method: 'GET', url: publicPath })).body).document;
      assert.equal(before.querySelector('.article-notes'), null, 'no notes, no block');

      // Wrong roles first: nothing is written.
      assert.equal((await post(otherAuthor, s, '/notes', { kind: 'correction', text: 'Not my story' })).statusCode, 403);
      const empty = await post(author, s, '/notes', { kind: 'correction', text: '   ' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /write what was updated or corrected/);
      const noKind = await post(author, s, '/notes', { text: 'Something' });
      assert.equal(noKind.statusCode, 400);

      now = new Date('2026-11-25T13:00:00.000Z');
      assert.equal(
        (await post(author, s, '/notes', { kind: 'update', text: 'The council confirmed the closure will last two weeks.' })).statusCode,
        303,
      );
      // Viewed between the two notes: what the page remembers must not hide the next note.
      const between = parseHTML((await site.app.inject({ method: 'GET', url: publicPath })).body).document;
      assert.equal(between.querySelectorAll('.article-notes li').length, 1);
      assert.equal(between.querySelector('.article-notes h2')!.textContent, 'Update');
      now = new Date('2026-11-25T14:15:00.000Z');
      const corr = await post(editor, s, '/notes', {
        kind: 'correction',
        text: 'An earlier version said the bridge closes on Monday. It closes on <Tuesday>.',
      });
      assert.equal(corr.statusCode, 303);
      assert.equal((await reload(s)).updatedAt, '2026-11-25T14:15:00.000Z', 'the note bumps the updated time');

      const res = await site.app.inject({ method: 'GET', url: publicPath });
      assert.equal(res.statusCode, 200);
      const doc = parseHTML(res.body).document;
      const block = doc.querySelector('aside.article-notes')!;
      assert.ok(block, 'notes block on the page');
      assert.equal(block.querySelector('h2')!.textContent, 'Corrections and updates');
      const items = [...block.querySelectorAll('li')].map((li) => [
        li.querySelector('.article-note__kind')!.textContent,
        li.querySelector('time')!.getAttribute('datetime'),
        li.querySelector('.article-note__text')!.textContent,
      ]);
      assert.deepEqual(items, [
        ['Update', '2026-11-25T13:00:00.000Z', 'The council confirmed the closure will last two weeks.'],
        ['Correction', '2026-11-25T14:15:00.000Z', 'An earlier version said the bridge closes on Monday. It closes on <Tuesday>.'],
      ]);
      assert.doesNotMatch(res.body, /<Tuesday>/, 'note text is escaped');
      assert.equal(doc.querySelector('.article__updated time')!.getAttribute('datetime'), '2026-11-25T14:15:00.000Z');
      assert.equal(doc.querySelector('a.article__notes-link')!.getAttribute('href'), '#article-notes');
      assert.equal(doc.querySelector('meta[property="article:modified_time"]')!.getAttribute('content'), '2026-11-25T14:15:00.000Z');
      const ld = JSON.parse(doc.querySelector('script[type="application/ld+json"]')!.textContent!) as Record<string, unknown>;
      assert.equal(ld.dateModified, '2026-11-25T14:15:00.000Z');
      assert.deepEqual(ld.correction, [
        {
          '@type': 'CorrectionComment',
          text: 'An earlier version said the bridge closes on Monday. It closes on <Tuesday>.',
          datePublished: '2026-11-25T14:15:00.000Z',
        },
      ]);
      assert.deepEqual(
        (await listAuditEntries(site.deps.db, { subjectType: 'article', subjectId: s.id, limit: 2 })).map((e) => [e.action, e.actorUserId]),
        [
          ['article.note_correction', editor.id],
          ['article.note_update', author.id],
        ],
      );
      // Notes go on published stories only.
      const draft = await story(author, { headline: 'Still a draft' });
      assert.equal((await post(author, draft, '/notes', { kind: 'update', text: 'Too early' })).statusCode, 409);
    });

    it('review queue lists stories in review for editors, with their writer', async () => {
      const s = await story(contributor, { headline: 'Schools reopen <after> strike' });
      await post(contributor, s, '/workflow', { action: 'submit' });
      const res = await as(editor).get('/newsroom/review');
      assert.equal(res.statusCode, 200);
      const doc = parseHTML(res.body).document;
      const row = [...doc.querySelectorAll('tbody tr')].find((tr) => tr.textContent!.includes('Schools reopen <after> strike'));
      assert.ok(row, 'listed (and escaped)');
      assert.match(row.textContent!, /Cora Contributor/);
      assert.equal(row.querySelector('a')!.getAttribute('href'), `/newsroom/stories/${s.id}`);
      assert.equal((await as(author).get('/newsroom/review')).statusCode, 403);
      const dash = await as(editor).get('/newsroom');
      assert.match(dash.body, /href="\/newsroom\/review"/);
      assert.doesNotMatch((await as(author).get('/newsroom')).body, /href="\/newsroom\/review"/);
    });

    it('audit log: filters by person, action, action group and subject; pages with a keyset cursor', async () => {
      const subjectId = 'paging@example.test';
      for (let i = 0; i < AUDIT_PAGE_SIZE + 5; i++) {
        await recordAuditEvent(site.deps.db, {
          at: new Date(FIXED_NOW.getTime() - i * 1000),
          actorUserId: null,
          action: 'auth.login_failed',
          subjectType: 'email',
          subjectId,
        });
      }
      const c = as(editor);
      const first = parseHTML((await c.get(`/newsroom/audit?subjectType=email&subjectId=${encodeURIComponent(subjectId)}`)).body).document;
      assert.equal(first.querySelectorAll('tbody tr').length, AUDIT_PAGE_SIZE);
      const older = first.querySelector('a[rel="next"]')!.getAttribute('href')!;
      assert.match(older, /before=/);
      assert.match(older, /subjectId=paging%40example.test/, 'the filter travels with the page link');
      const second = parseHTML((await c.get(older)).body).document;
      assert.equal(second.querySelectorAll('tbody tr').length, 5);
      assert.equal(second.querySelector('a[rel="next"]'), null);

      const byPerson = parseHTML((await c.get(`/newsroom/audit?actor=${contributor.id}&action=article.`)).body).document;
      const actions = [...byPerson.querySelectorAll('tbody tr code')].map((e) => e.textContent);
      assert.ok(actions.length >= 2 && actions.every((a) => a!.startsWith('article.')), actions.join());
      assert.ok(actions.includes('article.submit'));
      const cells = [...byPerson.querySelectorAll('tbody tr td:nth-child(2)')].map((td) => td.textContent!.trim());
      assert.ok(cells.every((n) => n === 'Cora Contributor'));
      const exact = parseHTML((await c.get('/newsroom/audit?action=article.restore')).body).document;
      assert.ok([...exact.querySelectorAll('tbody tr code')].every((e) => e.textContent === 'article.restore'));
      assert.ok(exact.querySelectorAll('tbody tr').length >= 1);
      // The subject column names the story and links to its history.
      const storyLink = exact.querySelector('tbody tr td:nth-child(4) a')!;
      assert.equal(storyLink.textContent, 'Minister resigns');
      assert.match(storyLink.getAttribute('href')!, /^\/newsroom\/stories\/[0-9a-f-]{36}\/history$/);

      for (const bad of ['actor=nobody', 'action=DROP%20TABLE', 'subjectType=planet', 'before=yesterday']) {
        const r = await c.get(`/newsroom/audit?${bad}`);
        assert.equal(r.statusCode, 400, bad);
      }
      assert.equal((await as(author).get('/newsroom/audit')).statusCode, 403);
      const token = csrfFrom((await c.get('/newsroom/audit')).body);
      assert.ok(token);
    });

    it('delete: editors only, with the confirming tick; the story and its page are gone and the deletion is audited', async () => {
      const doomed = await story(author, { headline: 'A story deleted for good' });
      const authorPanel = await as(author).get(`/newsroom/stories/${doomed.id}/history`);
      assert.ok(!authorPanel.body.includes(`/newsroom/stories/${doomed.id}/delete`), 'authors are not offered deletion');
      const byAuthor = await post(author, doomed, '/delete', { confirm: '1' });
      assert.equal(byAuthor.statusCode, 403);
      assert.ok(await reload(doomed), 'still there after the refused request');

      const panel = await as(editor).get(`/newsroom/stories/${doomed.id}/history`);
      assert.match(panel.body, new RegExp(`action="/newsroom/stories/${doomed.id}/delete"`));
      const unconfirmed = await post(editor, doomed, '/delete', {});
      assert.equal(unconfirmed.statusCode, 400);
      assert.match(unconfirmed.body, /Nothing was deleted/);
      assert.ok(await reload(doomed));

      const res = await post(editor, doomed, '/delete', { confirm: '1' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/newsroom/stories');
      assert.equal(await findArticleById(site.deps.db, doomed.id), null);
      const audit = await listAuditEntries(site.deps.db, { subjectType: 'article', subjectId: doomed.id, action: 'article.deleted' });
      assert.equal(audit[0]?.actorUserId, editor.id);
      const again = await as(editor).request('POST', `/newsroom/stories/${doomed.id}/delete`, {
        _csrf: await as(editor).csrfToken(),
        confirm: '1',
      });
      assert.equal(again.statusCode, 404, 'a second delete finds nothing');
    });
  });
}
