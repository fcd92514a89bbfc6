import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import sharp from 'sharp';
import { createArticle } from '../domain/articles/article-service.ts';
import { findArticleById } from '../domain/articles/article-repository.ts';
import { listAuditEntries } from '../domain/audit/audit-log.ts';
import { buildArticleInput, paragraphs } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createApiTestSite, type ApiTestSite } from '../../test/support/api-test-support.ts';

/*
 * Every Admin API write and its audit entry are one transaction. The failure is injected by a
 * database trigger that refuses `api.*` audit rows: it fires after the change was written and
 * before the commit, exactly where a crash would leave a change unaudited if the two were
 * written separately.
 */

async function injectAuditFailure(site: ApiTestSite): Promise<void> {
  if (site.deps.dialect === 'sqlite') {
    await sql`create trigger fail_api_audit before insert on audit_log when new.action like 'api.%'
      begin select raise(abort, 'injected failure before commit'); end`.execute(site.deps.db);
  } else {
    await sql`create or replace function fail_api_audit() returns trigger language plpgsql as $$
      begin if new.action like 'api.%' then raise exception 'injected failure before commit'; end if; return new; end $$`.execute(
      site.deps.db,
    );
    await sql`create trigger fail_api_audit before insert on audit_log for each row execute function fail_api_audit()`.execute(
      site.deps.db,
    );
  }
}

async function removeAuditFailure(site: ApiTestSite): Promise<void> {
  await sql`drop trigger if exists fail_api_audit ${sql.raw(site.deps.dialect === 'postgres' ? 'on audit_log' : '')}`.execute(site.deps.db);
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: Admin API writes and their audit entries commit together`, { skip }, () => {
    let site: ApiTestSite;
    let token: string;
    let jpeg: Buffer;
    const count = async (table: 'articles' | 'images' | 'wire_imports') =>
      Number(
        (
          await site.deps.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const apiAudit = async () => (await listAuditEntries(site.deps.db, { action: 'api.', limit: 1000 })).length;

    before(async () => {
      site = await createApiTestSite(dialect);
      token = await site.token('editor');
      jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#335577' } })
        .jpeg()
        .toBuffer();
    });
    afterEach(() => removeAuditFailure(site));
    after(() => site?.close());

    it('a failure after the change and before the commit leaves neither the change nor its audit entry', async () => {
      const story = await createArticle(
        site.deps,
        buildArticleInput({ sectionId: site.taxonomy.world.id, status: 'draft', publishedAt: null, headline: 'Untouched story' }),
      );
      const before = { articles: await count('articles'), images: await count('images'), imports: await count('wire_imports') };
      const auditBefore = await apiAudit();
      const mediaBefore = fs.readdirSync(site.deps.config.mediaDir).length;
      await injectAuditFailure(site);

      // One after another: each must fail on its own, not on a lock another one holds.
      const calls = [
        () =>
          site.call('POST', '/api/v1/admin/articles', {
            token,
            json: { headline: 'Never stored', standfirst: 'x', sectionId: site.taxonomy.world.id, body: paragraphs('x') },
          }),
        () => site.call('PATCH', `/api/v1/admin/articles/${story.id}`, { token, json: { headline: 'Never changed', expectedRevision: 1 } }),
        () => site.call('POST', `/api/v1/admin/articles/${story.id}/publish`, { token, json: {} }),
        () => site.call('DELETE', `/api/v1/admin/articles/${story.id}`, { token }),
        () =>
          site.call('POST', '/api/v1/admin/import/ninjs', {
            token,
            json: { uri: 'urn:test:atomic', type: 'text', headline: 'Never imported', body_text: 'x' },
          }),
        () => site.call('POST', '/api/v1/admin/images', { token, payload: jpeg, headers: { 'content-type': 'image/jpeg' } }),
      ];
      for (const call of calls) {
        const res = await call();
        assert.equal(res.statusCode, 500, res.body);
      }

      const after = await findArticleById(site.deps.db, story.id);
      assert.ok(after, 'not deleted');
      assert.deepEqual([after.headline, after.status, after.revision], ['Untouched story', 'draft', 1], 'not updated, not published');
      assert.deepEqual({ articles: await count('articles'), images: await count('images'), imports: await count('wire_imports') }, before);
      assert.equal(await apiAudit(), auditBefore);
      assert.equal(fs.readdirSync(site.deps.config.mediaDir).length, mediaBefore, 'the refused upload left no files');
    });

    it('a committed change always has its audit entry', async () => {
      const created = await site.call('POST', '/api/v1/admin/articles', {
        token,
        json: { headline: 'Stored with its entry', standfirst: 'x', sectionId: site.taxonomy.world.id, body: paragraphs('x') },
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = (JSON.parse(created.body) as { data: { id: string } }).data.id;
      const patched = await site.call('PATCH', `/api/v1/admin/articles/${id}`, {
        token,
        json: { headline: 'Changed', expectedRevision: 1 },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      const published = await site.call('POST', `/api/v1/admin/articles/${id}/publish`, { token, json: {} });
      assert.equal(published.statusCode, 200, published.body);
      const image = await site.call('POST', '/api/v1/admin/images', { token, payload: jpeg, headers: { 'content-type': 'image/jpeg' } });
      assert.equal(image.statusCode, 201, image.body);
      const imageId = (JSON.parse(image.body) as { data: { id: string } }).data.id;

      const actions = (await listAuditEntries(site.deps.db, { subjectId: id })).map((e) => e.action).sort();
      assert.deepEqual(
        actions.filter((a) => a.startsWith('api.')),
        ['api.article.created', 'api.article.publish', 'api.article.updated'],
      );
      const [upload] = await listAuditEntries(site.deps.db, { subjectId: imageId, action: 'api.image.uploaded' });
      assert.equal(upload?.details.tokenName, 'editor token');

      const deleted = await site.call('DELETE', `/api/v1/admin/articles/${id}`, { token });
      assert.equal(deleted.statusCode, 204);
      assert.equal((await listAuditEntries(site.deps.db, { subjectId: id, action: 'api.article.deleted' })).length, 1);
    });
  });
}
