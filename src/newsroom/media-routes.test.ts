import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDeps, type Deps } from '../deps.ts';
import type { User } from '../domain/accounts/user.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { listAuditEntries } from '../domain/audit/audit-log.ts';
import { photoFixturesSkip, readPhoto } from '../../test/support/photo-test-support.ts';
import { seedUser } from '../../test/support/account-factories.ts';
import { buildArticleInput, seedTaxonomy } from '../../test/support/factories.ts';
import { NewsroomClient, TEST_ORIGIN } from '../../test/support/newsroom-client.ts';
import { createTestDatabase, drainBeforeDestroy, testDialects, type TestDatabase } from '../../test/support/test-db.ts';

const fixturesSkip = photoFixturesSkip();
/** A small limit so the over-limit case stays cheap; cp.jpg (69 KB) fits under it. */
const MAX_UPLOAD_MB = 0.1;

type Part = { name: string; value: string } | { name: string; filename: string; type: string; data: Buffer };

/** A multipart/form-data body exactly as a browser sends it, parts in the given order. */
function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----masthead${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const head =
      'value' in p
        ? `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n`
        : `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type}\r\n\r\n`;
    chunks.push(Buffer.from(head), 'value' in p ? Buffer.from(p.value) : p.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const jpegPart = (data: Buffer, filename = 'photo.jpg'): Part => ({ name: 'file', filename, type: 'image/jpeg', data });

class Client extends NewsroomClient {
  /** Posts a multipart body from our origin; `json` adds accept and the header token like our script. */
  upload(parts: Part[], opts: { json?: boolean; token?: string; headers?: Record<string, string> } = {}) {
    const { body, contentType } = multipart(parts);
    return this.send(
      'POST',
      '/newsroom/media',
      {
        'content-type': contentType,
        origin: TEST_ORIGIN,
        ...(opts.json ? { accept: 'application/json' } : {}),
        ...(opts.token ? { 'x-csrf-token': opts.token } : {}),
        ...opts.headers,
      },
      body,
    );
  }
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: newsroom media library over HTTP`, { skip }, () => {
    let db: TestDatabase;
    let deps: Deps;
    let app: FastifyInstance;
    let mediaDir: string;
    let contributor: User;
    let editor: User;
    let c: Client;
    let token: string;

    const imageCount = async () => (await deps.db.selectFrom('images').select('id').execute()).length;
    const mediaFolders = () => fs.readdirSync(mediaDir).sort();

    before(async () => {
      db = await createTestDatabase(dialect);
      mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-media-'));
      const config = loadConfig({
        MASTHEAD_MEDIA_DIR: mediaDir,
        MASTHEAD_SITE_URL: TEST_ORIGIN,
        MASTHEAD_MAX_UPLOAD_MB: String(MAX_UPLOAD_MB),
        LOG_LEVEL: 'silent',
      });
      deps = await createDeps(config, { handle: db.handle });
      drainBeforeDestroy(db.handle, deps.deferredWork);
      app = await buildApp(deps);
      await app.ready();
      contributor = await seedUser(deps, 'contributor', { name: 'Cora Contributor' });
      editor = await seedUser(deps, 'editor', { name: 'Ed Editor' });
      c = new Client({ app });
      await c.login(contributor.email);
      token = await c.csrfToken('/newsroom/media');
    });
    after(async () => {
      await app?.close();
      await db?.destroy();
      if (mediaDir) fs.rmSync(mediaDir, { recursive: true, force: true });
    });

    it('shows the library with a plain upload form (token field before the file input) and the enhancement script', async () => {
      const res = await c.get('/newsroom/media');
      assert.equal(res.statusCode, 200);
      assert.match(
        res.body,
        /<form method="post" action="\/newsroom\/media" enctype="multipart\/form-data"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+">[\s\S]*<input id="media-file" type="file" name="file" accept="image\/jpeg,image\/png,image\/webp,image\/avif"/,
      );
      assert.match(res.body, /<script src="\/static\/newsroom-media\.js\?v=[0-9a-f]{12}" defer><\/script>/);
      assert.match(res.body, /at most 0\.1 MB/);
      assert.doesNotMatch(res.body, /<script>|style="/, 'no inline script or style');
    });

    it(
      'plain form upload: stores the photo and opens its edit form prefilled from the embedded IPTC/XMP',
      { skip: fixturesSkip },
      async () => {
        const res = await c.upload([{ name: '_csrf', value: token }, jpegPart(readPhoto('cp.jpg'), 'cp.jpg')]);
        assert.equal(res.statusCode, 303, res.body);
        const location = res.headers.location as string;
        assert.match(location, /^\/newsroom\/media\/[0-9a-f-]{36}$/);
        const page = await c.get(location);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /The photo has been uploaded/);
        assert.match(
          page.body,
          /<textarea id="img-caption" name="caption"[^>]*>The Montreal Police logo is seen on a police car in Montreal on Wednesday, July 8, 2020\. THE CANADIAN PRESS\/Paul Chiasson<\/textarea>/,
        );
        assert.match(page.body, /<input id="img-credit" name="credit" value="The Canadian Press"/);
        assert.match(page.body, /<input id="img-creator" name="creator" value="Paul Chiasson"/);
        assert.match(page.body, /<input id="img-copyrightNotice" name="copyrightNotice" value=""/);
        assert.match(page.body, /400 × 265 px, image\/jpeg/);
        assert.match(page.body, /No story or author uses this image/);
        const id = location.split('/').pop()!;
        const key = (await deps.db.selectFrom('images').select('storage_key').where('id', '=', id).executeTakeFirstOrThrow()).storage_key;
        assert.ok(fs.existsSync(path.join(mediaDir, key, 'original.jpg')), 'original kept');
        const entries = await listAuditEntries(deps.db, { subjectType: 'image', subjectId: id });
        assert.deepEqual(
          entries.map((e) => [e.action, e.actorUserId]),
          [['image.uploaded', contributor.id]],
        );
      },
    );

    it(
      'JSON upload (our script): 201 { image } with the picker contract; the rendition is served immutable',
      { skip: fixturesSkip },
      async () => {
        const res = await c.upload([jpegPart(readPhoto('IPTC.jpg'), 'IPTC.jpg')], { json: true, token });
        assert.equal(res.statusCode, 201, res.body);
        const { image } = res.json() as { image: Record<string, unknown> };
        assert.deepEqual(Object.keys(image).sort(), ['alt', 'caption', 'credit', 'height', 'id', 'url', 'width']);
        assert.equal(image.caption, 'A witty caption');
        assert.equal(image.credit, 'My Credit');
        assert.equal(image.width, 8);
        assert.match(image.url as string, /^\/media\/[0-9a-f-]{36}\/w8\.jpg$/);
        const file = await app.inject({ method: 'GET', url: image.url as string });
        assert.equal(file.statusCode, 200);
        assert.equal(file.headers['cache-control'], 'public, max-age=31536000, immutable');
        assert.equal(file.headers['content-type'], 'image/jpeg');
      },
    );

    it('media.json lists newest first with the picker contract, searches, and pages with a cursor', { skip: fixturesSkip }, async () => {
      const all = (await c.get('/newsroom/media.json')).json() as { items: Array<Record<string, unknown>>; next: string | null };
      assert.ok(all.items.length >= 2);
      assert.deepEqual(Object.keys(all.items[0]!).sort(), ['alt', 'caption', 'credit', 'height', 'id', 'url', 'width']);
      assert.equal(all.items[0]!.caption, 'A witty caption', 'newest first');
      assert.equal(all.next, null);
      const cp = (await c.get('/newsroom/media.json?q=montreal%20police')).json() as {
        items: Array<{ url: string; width: number; credit: string }>;
      };
      assert.equal(cp.items.length, 1);
      assert.equal(cp.items[0]!.credit, 'The Canadian Press');
      assert.match(cp.items[0]!.url, /\/w400\.jpg$/, 'the largest rendition when none reaches 640 px');
      const bad = await c.get('/newsroom/media.json?cursor=forged-cursor-value');
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(bad.json(), {
        error: { code: 'validation_failed', message: 'This page link is not valid any more. Start again from the newest images.' },
      });
      const html = await c.get('/newsroom/media?q=witty');
      assert.match(html.body, /A witty caption/);
      assert.doesNotMatch(html.body, /Montreal Police/);
      // The story search's operators, refusals included (a 400 with the reason, never a 500).
      const excluded = (await c.get('/newsroom/media.json?q=montreal%20-police')).json() as { items: unknown[] };
      assert.deepEqual(excluded.items, []);
      const onlyExcluded = await c.get('/newsroom/media.json?q=-police');
      assert.equal(onlyExcluded.statusCode, 400);
      assert.match((onlyExcluded.json() as { error: { message: string } }).error.message, /at least one word/);
      const page = await c.get('/newsroom/media?q=-police');
      assert.equal(page.statusCode, 400);
      assert.match(page.body, /at least one word/);
    });

    it('refuses a text file renamed .jpg with 415 and a clear message, storing nothing', async () => {
      const rows = await imageCount();
      const folders = mediaFolders();
      const text = jpegPart(Buffer.from('Dear editor, this is a letter, not a photo.\n'), 'letter.jpg');
      const json = await c.upload([text], { json: true, token });
      assert.equal(json.statusCode, 415);
      assert.deepEqual(json.json(), {
        error: {
          code: 'unsupported_media_type',
          message: 'This file is not an image we can read. Upload a JPEG, PNG, WebP or AVIF photo.',
        },
      });
      const form = await c.upload([{ name: '_csrf', value: token }, text]);
      assert.equal(form.statusCode, 415);
      assert.match(form.body, /role="alert"><p>This file is not an image we can read/);
      assert.match(form.body, /enctype="multipart\/form-data"/, 'the upload form is shown again');
      assert.equal(await imageCount(), rows);
      assert.deepEqual(mediaFolders(), folders);
    });

    it('refuses a truncated JPEG with a clear 400, storing nothing', { skip: fixturesSkip }, async () => {
      const rows = await imageCount();
      const folders = mediaFolders();
      const cp = readPhoto('cp.jpg');
      const res = await c.upload([jpegPart(cp.subarray(0, Math.floor(cp.length * 0.7)), 'cut.jpg')], { json: true, token });
      assert.equal(res.statusCode, 400);
      const body = res.json() as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'validation_failed');
      assert.match(body.error.message, /damaged or incomplete/);
      assert.equal(await imageCount(), rows);
      assert.deepEqual(mediaFolders(), folders);
    });

    it('refuses a file over MASTHEAD_MAX_UPLOAD_MB with 413 naming the limit, storing nothing', async () => {
      const rows = await imageCount();
      const folders = mediaFolders();
      const big = Buffer.alloc(Math.ceil(MAX_UPLOAD_MB * 1024 * 1024) + 1, 0xab);
      const json = await c.upload([jpegPart(big, 'big.jpg')], { json: true, token });
      assert.equal(json.statusCode, 413);
      assert.deepEqual(json.json(), {
        error: { code: 'payload_too_large', message: 'This file is larger than 0.1 MB; images can be at most 0.1 MB.' },
      });
      const form = await c.upload([{ name: '_csrf', value: token }, jpegPart(big, 'big.jpg')]);
      assert.equal(form.statusCode, 413);
      assert.match(form.body, /images can be at most 0\.1 MB/);
      assert.equal(await imageCount(), rows);
      assert.deepEqual(mediaFolders(), folders);
    });

    it('refuses uploads without a valid CSRF token (403) before reading the file', async () => {
      const rows = await imageCount();
      const png = readPngFixture();
      const cases: Array<[string, Awaited<ReturnType<Client['upload']>>]> = [
        ['no token at all', await c.upload([jpegPart(png)])],
        ['wrong field token', await c.upload([{ name: '_csrf', value: 'x'.repeat(token.length) }, jpegPart(png)])],
        ['token after the file', await c.upload([jpegPart(png), { name: '_csrf', value: token }])],
        ['wrong header, right field', await c.upload([{ name: '_csrf', value: token }, jpegPart(png)], { token: 'nope' })],
        [
          'another origin',
          await c.upload([{ name: '_csrf', value: token }, jpegPart(png)], { headers: { origin: 'https://evil.example' } }),
        ],
        ['JSON without token', await c.upload([jpegPart(png)], { json: true })],
      ];
      for (const [name, res] of cases) {
        assert.equal(res.statusCode, 403, name);
        assert.match(res.body, /expired or did not come from this site/, name);
      }
      assert.equal(await imageCount(), rows);
      // Only routes declared `csrf: 'multipart-field'` may carry the token inside the body.
      const { body, contentType } = multipart([
        { name: '_csrf', value: token },
        { name: 'current', value: 'x' },
      ]);
      const other = await c.send('POST', '/newsroom/account/password', { 'content-type': contentType, origin: TEST_ORIGIN }, body);
      assert.ok(
        other.statusCode === 403 || other.statusCode === 415,
        `other routes refuse multipart without the header (got ${other.statusCode})`,
      );
      const anonymous = await new Client({ app }).upload([jpegPart(png)]);
      assert.equal(anonymous.statusCode, 303);
      assert.equal(anonymous.headers.location, '/newsroom/login');
      assert.equal(await imageCount(), rows);
    });

    it('asks for a file when the form is sent without one', async () => {
      const res = await c.upload([
        { name: '_csrf', value: token },
        { name: 'file', filename: '', type: 'application/octet-stream', data: Buffer.alloc(0) },
      ]);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Choose a photo to upload/);
    });

    it('saves an edited description; refuses an over-long one with the field named, keeping what was typed', async () => {
      const [image] = ((await c.get('/newsroom/media.json')).json() as { items: Array<{ id: string }> }).items;
      const url = `/newsroom/media/${image!.id}`;
      const ok = await c.submit(url, url, {
        caption: 'Harbour at dawn',
        credit: 'Reuters',
        creator: 'Jo <Lee>',
        copyrightNotice: '© 2026',
        altText: 'Cranes against an orange sky',
      });
      assert.equal(ok.statusCode, 303);
      const page = await c.get(url);
      assert.match(page.body, /The image description has been saved/);
      assert.match(page.body, /name="creator" value="Jo &lt;Lee&gt;"/);
      assert.match(page.body, />Harbour at dawn<\/textarea>/);
      const bad = await c.submit(url, url, {
        caption: 'Kept text',
        credit: 'c'.repeat(301),
        creator: '',
        copyrightNotice: '',
        altText: '',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Credit line is too long \(at most 300 characters\)/);
      assert.match(bad.body, />Kept text<\/textarea>/);
      assert.match((await c.get(url)).body, />Harbour at dawn<\/textarea>/, 'nothing saved');
      const missing = await c.get('/newsroom/media/01930000-0000-7000-8000-000000000000');
      assert.equal(missing.statusCode, 404);
    });

    it('delete: contributors get 403; editors get 409 naming the story while it is used, then delete it with its files', async () => {
      const png = readPngFixture();
      const up = await c.upload([jpegPart(png, 'pier.png')], { json: true, token });
      assert.equal(up.statusCode, 201, up.body);
      const id = (up.json() as { image: { id: string } }).image.id;
      const key = (await deps.db.selectFrom('images').select('storage_key').where('id', '=', id).executeTakeFirstOrThrow()).storage_key;
      const url = `/newsroom/media/${id}`;

      const denied = await c.submit(url, `${url}/delete`, {});
      assert.equal(denied.statusCode, 403);
      assert.doesNotMatch((await c.get(url)).body, /Delete image/, 'no delete button for contributors');

      const tax = await seedTaxonomy({ db: deps.db, clock: () => new Date() });
      const story = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Pier reopens after storm', heroImageId: id }),
      );
      const ed = new Client({ app }, '203.0.113.9');
      await ed.login(editor.email);
      const edPage = await ed.get(url);
      assert.match(edPage.body, new RegExp(`<a href="/newsroom/stories/${story.id}">Pier reopens after storm</a>`));
      const refused = await ed.submit(url, `${url}/delete`, {});
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /This image cannot be deleted: it is used by 1 story \(“Pier reopens after storm”\)/);
      const refusedJson = await ed.send(
        'POST',
        `${url}/delete`,
        { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', origin: TEST_ORIGIN },
        `_csrf=${encodeURIComponent(await ed.csrfToken(url))}`,
      );
      assert.equal(refusedJson.statusCode, 409);
      assert.equal((refusedJson.json() as { error: { code: string } }).error.code, 'conflict');
      assert.ok(fs.existsSync(path.join(mediaDir, key)));

      await deps.db.updateTable('articles').set({ hero_image_id: null }).where('id', '=', story.id).execute();
      const deleted = await ed.submit(url, `${url}/delete`, {});
      assert.equal(deleted.statusCode, 303);
      assert.equal(deleted.headers.location, '/newsroom/media');
      assert.match((await ed.get('/newsroom/media')).body, /The image has been deleted/);
      assert.equal(fs.existsSync(path.join(mediaDir, key)), false, 'original and renditions removed');
      assert.equal((await ed.get(url)).statusCode, 404);
    });

    // The JSON answers used to name every framework refusal but 413 `bad_request`; they now share the API's codes.
    it('names a framework refusal in JSON by its status, as the API does', async () => {
      const res = await c.send(
        'POST',
        '/newsroom/media',
        { 'content-type': 'application/xml', accept: 'application/json', origin: TEST_ORIGIN, 'x-csrf-token': token },
        '<photo/>',
      );
      assert.equal(res.statusCode, 415);
      assert.equal((res.json() as { error: { code: string } }).error.code, 'unsupported_media_type');
    });
  });
}

let pngCache: Buffer | undefined;
/** A small real PNG (from the repo's public folder), valid under the test's size limit. */
function readPngFixture(): Buffer {
  pngCache ??= fs.readFileSync(path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../public/publisher-logo.png'));
  return pngCache;
}
