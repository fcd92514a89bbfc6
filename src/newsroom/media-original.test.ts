import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import exifr from 'exifr';
import { seedUser } from '../../test/support/account-factories.ts';
import { NewsroomClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import { uploadLibraryImage } from '../domain/media/media-library.ts';
import { photoFixturesSkip, readPhoto } from '../../test/support/photo-test-support.ts';
import type { User } from '../domain/accounts/user.ts';

/*
 * An original upload keeps every embedded field (GPS included, which can locate a
 * photographer or a source), so the public /media/ path serves renditions only, written
 * without metadata; the newsroom downloads originals behind its sign-in.
 */

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: original uploads stay in the newsroom`, { skip: skip || photoFixturesSkip() }, () => {
    let site: TestSite;
    let contributor: User;
    let photo: Buffer;
    let image: { id: string; storageKey: string; renditionWidths: number[] };

    before(async () => {
      site = await createTestSite(dialect);
      contributor = await seedUser(site.deps, 'contributor');
      photo = readPhoto('cp.jpg');
      image = await uploadLibraryImage(site.deps, { userId: contributor.id, role: 'contributor' }, photo, {
        filename: 'montréal police.jpg',
        maxUploadMb: 25,
      });
    });
    after(() => site?.close());

    it('the public media path refuses originals and serves renditions without embedded metadata', async () => {
      const original = await site.app.inject({ method: 'GET', url: `/media/${image.storageKey}/original.jpg` });
      assert.equal(original.statusCode, 404);
      assert.ok(!original.rawPayload.includes(photo.subarray(0, 64)), 'no bytes of the original');
      const width = image.renditionWidths[0]!;
      const rendition = await site.app.inject({ method: 'GET', url: `/media/${image.storageKey}/w${width}.jpg` });
      assert.equal(rendition.statusCode, 200);
      assert.ok(await exifr.parse(photo, { xmp: true, iptc: true }), 'the fixture photo does carry metadata');
      assert.equal(await exifr.parse(rendition.rawPayload, { xmp: true, iptc: true }), undefined, 'the rendition carries none');
    });

    it('signed-in newsroom users download the original, byte for byte; others are sent to sign in', async () => {
      const anonymous = await site.app.inject({ method: 'GET', url: `/newsroom/media/${image.id}/original` });
      assert.equal(anonymous.statusCode, 303);
      const c = new NewsroomClient(site);
      await c.login(contributor.email);
      const edit = await c.get(`/newsroom/media/${image.id}`);
      assert.match(edit.body, new RegExp(`href="/newsroom/media/${image.id}/original"`));
      const res = await c.get(`/newsroom/media/${image.id}/original`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'image/jpeg');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(
        String(res.headers['content-disposition']),
        /^attachment; filename="montr_al_police\.jpg"; filename\*=UTF-8''montr%C3%A9al%20police\.jpg$/,
      );
      assert.ok(res.rawPayload.equals(photo));
      assert.equal((await c.get('/newsroom/media/00000000-0000-7000-8000-000000000000/original')).statusCode, 404);
    });
  });
}
