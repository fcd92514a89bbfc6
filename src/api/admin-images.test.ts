import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listAuditEntries } from '../domain/audit/audit-log.ts';
import { photoFixturesSkip, readPhoto } from '../../test/support/photo-test-support.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { apiError, createApiTestSite, SITE_URL, type ApiTestSite } from '../../test/support/api-test-support.ts';

type ImageJson = {
  id: string;
  width: number;
  height: number;
  caption: string;
  credit: string;
  creator: string;
  altText: string;
  renditions: Array<{ width: number; format: string; url: string }>;
};

/** A multipart/form-data body with text fields and one file, as curl -F sends it. */
function multipart(
  fields: Record<string, string>,
  file: { name: string; type: string; data: Buffer },
): { payload: Buffer; contentType: string } {
  const boundary = '----masthead-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const skipPhotos = photoFixturesSkip();

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: image upload through the Admin API`, { skip: skip || skipPhotos }, () => {
    let site: ApiTestSite;
    let token: string;
    before(async () => {
      site = await createApiTestSite(dialect);
      token = await site.token('contributor');
    });
    after(() => site?.close());

    it('takes a raw JPEG body and fills credits from the photo (cp.jpg); query metadata wins', async () => {
      const res = await site.call('POST', '/api/v1/admin/images?altText=Police%20car%20in%20Montreal', {
        token,
        payload: readPhoto('cp.jpg'),
        headers: { 'content-type': 'image/jpeg' },
      });
      assert.equal(res.statusCode, 201, res.body);
      const image = (JSON.parse(res.body) as { data: ImageJson }).data;
      assert.equal(res.headers.location, `/api/v1/images/${image.id}`);
      assert.equal(image.creator, 'Paul Chiasson');
      assert.equal(image.credit, 'The Canadian Press');
      assert.match(image.caption, /^The Montreal Police logo is seen on a police car/);
      assert.equal(image.altText, 'Police car in Montreal');
      assert.ok(image.renditions.length >= 3);
      const jpg = image.renditions.find((r) => r.format === 'jpg')!;
      assert.ok(jpg.url.startsWith(`${SITE_URL}/media/`));
      // The rendition exists on disk where the URL points.
      const rel = jpg.url.slice(`${SITE_URL}/media/`.length);
      assert.ok(fs.existsSync(path.join(site.deps.config.mediaDir, rel)), rel);
      const readBack = await site.call('GET', `/api/v1/images/${image.id}`);
      assert.deepEqual((JSON.parse(readBack.body) as { data: ImageJson }).data, image);
      const audit = await listAuditEntries(site.deps.db, { subjectType: 'image', subjectId: image.id });
      assert.deepEqual(
        audit.map((e) => e.action),
        ['api.image.uploaded'],
      );
    });

    it('takes multipart/form-data with metadata fields (IPTC.jpg)', async () => {
      const { payload, contentType } = multipart(
        { caption: 'Our own caption' },
        { name: 'IPTC.jpg', type: 'image/jpeg', data: readPhoto('IPTC.jpg') },
      );
      const res = await site.call('POST', '/api/v1/admin/images', { token, payload, headers: { 'content-type': contentType } });
      assert.equal(res.statusCode, 201, res.body);
      const image = (JSON.parse(res.body) as { data: ImageJson }).data;
      assert.equal(image.caption, 'Our own caption');
      assert.equal(image.credit, 'My Credit');
      assert.equal(image.creator, 'Phil Harvey');
      assert.equal(image.width, 8);
    });

    it('refuses a file that is not an image, and an unknown metadata field, without storing anything', async () => {
      const before = (await site.deps.db.selectFrom('images').select('id').execute()).length;
      const junk = await site.call('POST', '/api/v1/admin/images', {
        token,
        payload: Buffer.from('not a photo at all'),
        headers: { 'content-type': 'image/jpeg' },
      });
      assert.ok(junk.statusCode === 400 || junk.statusCode === 415, junk.body);
      assert.match(apiError(junk).message, /JPEG, PNG, WebP or AVIF/);
      const { payload, contentType } = multipart({ colour: 'red' }, { name: 'IPTC.jpg', type: 'image/jpeg', data: readPhoto('IPTC.jpg') });
      const unknown = await site.call('POST', '/api/v1/admin/images', { token, payload, headers: { 'content-type': contentType } });
      assert.equal(unknown.statusCode, 400);
      assert.equal(apiError(unknown).field, 'body.colour');
      const noFile = await site.call('POST', '/api/v1/admin/images', {
        token,
        payload: Buffer.from('--b\r\nContent-Disposition: form-data; name="caption"\r\n\r\nx\r\n--b--\r\n'),
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
      });
      assert.equal(apiError(noFile).field, 'body.file');
      assert.equal((await site.deps.db.selectFrom('images').select('id').execute()).length, before);
    });
  });
}
