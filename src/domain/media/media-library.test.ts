import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { seedUser } from '../../../test/support/account-factories.ts';
import {
  buildArticleInput,
  paragraphs,
  seedTaxonomy,
  serviceDepsFor,
  type Taxonomy,
  type TestServiceDeps,
} from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { Actor } from '../accounts/role.ts';
import { createArticle } from '../articles/article-service.ts';
import { listAuditEntries } from '../audit/audit-log.ts';
import { createAuthor } from '../authors/author.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import {
  deleteLibraryImage,
  getLibraryImage,
  listLibraryImages,
  updateImageMetadata,
  uploadLibraryImage,
  type LibraryImage,
} from './media-library.ts';
import { bodyUsesImage, describeUsage } from './media-library-usage.ts';
import { photoFixturesSkip, readPhoto } from '../../../test/support/photo-test-support.ts';

const skipFixtures = photoFixturesSkip();

async function png(width: number, shade: number): Promise<Buffer> {
  return sharp({ create: { width, height: Math.round(width / 2), channels: 3, background: { r: shade, g: 90, b: 40 } } })
    .png()
    .toBuffer();
}

const EMPTY = { caption: '', credit: '', creator: '', copyrightNotice: '', altText: '' };

describe('bodyUsesImage', () => {
  const id = '01930000-0000-7000-8000-000000000001';
  it('finds a figure block with exactly that id, not the id quoted in text or a link', () => {
    assert.equal(bodyUsesImage(JSON.stringify({ version: 1, blocks: [{ type: 'figure', imageId: id }] }), id), true);
    assert.equal(bodyUsesImage(JSON.stringify(paragraphs(`see image ${id}`)), id), false);
    const link = {
      version: 1,
      blocks: [{ type: 'paragraph', content: [{ type: 'link', href: `https://x.test/${id}`, content: [{ type: 'text', text: 'x' }] }] }],
    };
    assert.equal(bodyUsesImage(JSON.stringify(link), id), false);
    assert.equal(bodyUsesImage(JSON.stringify({ version: 1, blocks: [{ type: 'figure', imageId: `${id}0` }] }), id), false);
    assert.equal(bodyUsesImage('not json', id), false);
  });
  it('describes usage briefly', () => {
    const u = (headline: string) => ({ kind: 'hero' as const, articleId: headline, headline, status: 'draft' });
    assert.equal(describeUsage([u('A')]), '“A”');
    assert.equal(describeUsage([u('A'), u('B')]), '“A” and “B”');
    assert.equal(describeUsage([u('A'), u('B'), u('C')], 2), '“A”, “B” and 1 more');
  });
});

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: media library`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;
    let contributor: Actor;
    let editor: Actor;
    const images: LibraryImage[] = [];
    let clockMs = Date.parse('2026-11-25T08:00:00.000Z');

    before(async () => {
      t = await createTestDatabase(dialect);
      // A clock that moves a second per call, so uploads have distinct times.
      deps = serviceDepsFor(t.handle, { clock: () => new Date((clockMs += 1000)) });
      tax = await seedTaxonomy(deps);
      contributor = { userId: (await seedUser(deps, 'contributor')).id, role: 'contributor' };
      editor = { userId: (await seedUser(deps, 'editor')).id, role: 'editor' };
      for (let i = 0; i < 5; i++)
        images.push(
          await uploadLibraryImage(deps, contributor, await png(400 + i * 10, 20 * i), { filename: `photo-${i}.png`, maxUploadMb: 5 }),
        );
      await updateImageMetadata(deps, contributor, images[1]!.id, { ...EMPTY, caption: 'Harbour cranes at dawn', credit: 'Reuters' });
      await updateImageMetadata(deps, contributor, images[3]!.id, {
        ...EMPTY,
        caption: 'Cranes over the harbour_50%',
        creator: 'Ana Núñez',
      });
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    it('lists newest first with keyset pages that neither skip nor repeat', async () => {
      const first = await listLibraryImages(deps, contributor, { limit: 2 });
      assert.deepEqual(
        first.items.map((i) => i.id),
        [images[4]!.id, images[3]!.id],
      );
      assert.ok(first.next);
      const second = await listLibraryImages(deps, contributor, { limit: 2, cursor: first.next });
      assert.deepEqual(
        second.items.map((i) => i.id),
        [images[2]!.id, images[1]!.id],
      );
      const third = await listLibraryImages(deps, contributor, { limit: 2, cursor: second.next! });
      assert.deepEqual(
        third.items.map((i) => i.id),
        [images[0]!.id],
      );
      assert.equal(third.next, null);
      assert.equal(third.items[0]!.originalFilename, 'photo-0.png');
      assert.deepEqual(third.items[0]!.formats, ['avif', 'webp', 'jpg']);
    });

    it('searches caption, credit, photographer and file name, case-insensitively, all words, wildcards literal', async () => {
      const ids = async (q: string) => (await listLibraryImages(deps, contributor, { q })).items.map((i) => i.id);
      // Ranked by relevance, so the two equally good matches are compared as a set.
      assert.deepEqual((await ids('CRANES')).sort(), [images[3]!.id, images[1]!.id].sort());
      assert.deepEqual(await ids('harbour reuters'), [images[1]!.id]);
      assert.deepEqual(await ids('núñez'), [images[3]!.id]);
      assert.deepEqual(await ids('photo-2'), [images[2]!.id]);
      assert.deepEqual(await ids('_50%'), [images[3]!.id]);
      assert.equal((await ids('%')).length, images.length, 'a search with no word in it lists every image, as an empty one does');
      assert.deepEqual(await ids('nothing-like-this'), []);
    });

    it('refuses a forged page cursor with a clear message', async () => {
      await assert.rejects(
        listLibraryImages(deps, contributor, { cursor: 'bm90LWEtY3Vyc29y' }),
        (e: unknown) => e instanceof ValidationError && /page link is not valid/.test(e.message),
      );
    });

    it('updates the description, trimmed, and audits which fields changed', async () => {
      const img = images[0]!;
      const saved = await updateImageMetadata(deps, contributor, img.id, {
        caption: '  A caption  ',
        credit: 'AP',
        creator: 'Jo Lee',
        copyrightNotice: '© 2026 AP',
        altText: 'Two people on a pier',
      });
      assert.equal(saved.caption, 'A caption');
      const { image } = await getLibraryImage(deps, contributor, img.id);
      assert.deepEqual(
        {
          caption: image.caption,
          credit: image.credit,
          creator: image.creator,
          copyrightNotice: image.copyrightNotice,
          altText: image.altText,
        },
        { caption: 'A caption', credit: 'AP', creator: 'Jo Lee', copyrightNotice: '© 2026 AP', altText: 'Two people on a pier' },
      );
      const [entry] = await listAuditEntries(deps.db, { subjectType: 'image', subjectId: img.id });
      assert.equal(entry!.action, 'image.updated');
      assert.equal(entry!.actorUserId, contributor.userId);
      assert.deepEqual(entry!.details, { changed: ['caption', 'credit', 'creator', 'copyrightNotice', 'altText'] });
    });

    it('refuses invalid descriptions with a message naming the field, changing nothing', async () => {
      const img = images[0]!;
      const cases: Array<[unknown, RegExp]> = [
        [{ ...EMPTY, caption: 'x'.repeat(2001) }, /Caption is too long \(at most 2000 characters\)/],
        [{ ...EMPTY, altText: 'y'.repeat(1001) }, /Alt text is too long/],
        [{ ...EMPTY, credit: 'bad\u0000' }, /Credit line contains invalid characters/],
        [{ ...EMPTY, caption: 42 }, /Caption must be text/],
        [{ ...EMPTY, headline: 'x' }, /Unknown field: headline/],
        ['caption=x', /Send the image description as a form/],
      ];
      for (const [input, message] of cases) {
        await assert.rejects(
          updateImageMetadata(deps, contributor, img.id, input),
          (e: unknown) => e instanceof ValidationError && message.test(e.message),
          String(message),
        );
      }
      assert.equal((await getLibraryImage(deps, contributor, img.id)).image.caption, 'A caption');
      await assert.rejects(updateImageMetadata(deps, contributor, newId(), EMPTY), NotFoundError);
      await assert.rejects(updateImageMetadata(deps, contributor, 'not-an-id', EMPTY), NotFoundError);
    });

    it('records the upload in the audit log with the uploader', async () => {
      const entries = await listAuditEntries(deps.db, { subjectType: 'image', subjectId: images[4]!.id });
      assert.deepEqual(
        entries.map((e) => e.action),
        ['image.uploaded'],
      );
      assert.equal(entries[0]!.actorUserId, contributor.userId);
      assert.equal(entries[0]!.details.filename, 'photo-4.png');
    });

    it('refuses to delete an image a story uses as hero or figure (drafts too), naming the stories', async () => {
      const hero = images[1]!;
      const figure = images[2]!;
      const a = await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Harbour strike ends',
          heroImageId: hero.id,
          status: 'draft',
          publishedAt: null,
        }),
      );
      const body = { version: 1, blocks: [...paragraphs('Text.').blocks, { type: 'figure', imageId: figure.id, caption: 'Override' }] };
      const b = await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, headline: 'Cranes return', body }));
      // A story that only mentions the id in text does not count as a use.
      await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Mentions', body: paragraphs(`image ${images[0]!.id}`) }),
      );

      const used = await getLibraryImage(deps, contributor, hero.id);
      assert.deepEqual(used.usage, [{ kind: 'hero', articleId: a.id, headline: 'Harbour strike ends', status: 'draft' }]);
      assert.deepEqual((await getLibraryImage(deps, contributor, figure.id)).usage, [
        { kind: 'figure', articleId: b.id, headline: 'Cranes return', status: 'published' },
      ]);
      assert.deepEqual((await getLibraryImage(deps, contributor, images[0]!.id)).usage, []);

      await assert.rejects(
        deleteLibraryImage(deps, editor, hero.id),
        (e: unknown) => e instanceof ConflictError && /used by 1 story \(“Harbour strike ends”\)/.test(e.message),
      );
      await assert.rejects(
        deleteLibraryImage(deps, editor, figure.id),
        (e: unknown) => e instanceof ConflictError && /“Cranes return”/.test(e.message),
      );
      assert.ok(fs.existsSync(path.join(deps.mediaDir, hero.storageKey, 'w320.jpg')), 'files stay');
      assert.ok(fs.existsSync(path.join(deps.mediaDir, figure.storageKey, 'w320.jpg')), 'files stay');
      assert.ok(await getLibraryImage(deps, contributor, figure.id));
    });

    it('refuses to delete an author photo', async () => {
      const img = images[3]!;
      await createAuthor(deps.db, { name: 'Pat Photo', photoImageId: img.id }, deps.clock());
      await assert.rejects(
        deleteLibraryImage(deps, editor, img.id),
        (e: unknown) => e instanceof ConflictError && /the author photo of Pat Photo/.test(e.message),
      );
    });

    it('deletes an unused image with its files, editors only, and audits it', async () => {
      const img = images[0]!;
      await assert.rejects(
        deleteLibraryImage(deps, contributor, img.id),
        (e: unknown) => (e as { code?: string }).code === 'forbidden' && /Only editors/.test((e as Error).message),
      );
      await assert.rejects(deleteLibraryImage(deps, { ...contributor, role: 'author' }, img.id), /Only editors/);
      assert.ok(fs.existsSync(path.join(deps.mediaDir, img.storageKey)));
      await deleteLibraryImage(deps, editor, img.id);
      assert.equal(fs.existsSync(path.join(deps.mediaDir, img.storageKey)), false, 'folder with original and renditions removed');
      await assert.rejects(getLibraryImage(deps, contributor, img.id), NotFoundError);
      const [entry] = await listAuditEntries(deps.db, { subjectType: 'image', subjectId: img.id });
      assert.equal(entry!.action, 'image.deleted');
      assert.equal(entry!.actorUserId, editor.userId);
      await assert.rejects(deleteLibraryImage(deps, editor, img.id), NotFoundError);
    });

    it('fills the description from the photo’s embedded IPTC/XMP on upload', { skip: skipFixtures }, async () => {
      const img = await uploadLibraryImage(deps, contributor, readPhoto('cp.jpg'), { filename: 'cp.jpg', maxUploadMb: 5 });
      assert.equal(img.credit, 'The Canadian Press');
      assert.equal(img.creator, 'Paul Chiasson');
      assert.match(img.caption, /^The Montreal Police logo is seen on a police car/);
      assert.equal(img.copyrightNotice, '');
      const iptc = await uploadLibraryImage(deps, contributor, readPhoto('IPTC.jpg'), { filename: 'IPTC.jpg', maxUploadMb: 5 });
      assert.equal(iptc.caption, 'A witty caption');
      assert.equal(iptc.copyrightNotice, 'Copyright 2004 Phil Harvey');
    });

    it('leaves no row, audit entry or file behind when an upload is refused', async () => {
      const before = (await listLibraryImages(deps, contributor, { limit: 100 })).items.length;
      const dirs = fs.readdirSync(deps.mediaDir).length;
      await assert.rejects(
        uploadLibraryImage(deps, contributor, Buffer.from('hello, not an image'), { filename: 'x.jpg', maxUploadMb: 5 }),
        (e: unknown) => (e as { code?: string }).code === 'unsupported_media_type',
      );
      await assert.rejects(
        uploadLibraryImage(deps, contributor, await png(2000, 3), { maxUploadMb: 0.001 }),
        (e: unknown) => (e as { code?: string }).code === 'payload_too_large',
      );
      assert.equal((await listLibraryImages(deps, contributor, { limit: 100 })).items.length, before);
      assert.equal(fs.readdirSync(deps.mediaDir).length, dirs);
      const uploads = (await listAuditEntries(deps.db, { actorUserId: contributor.userId, limit: 1000 })).filter(
        (e) => e.action === 'image.uploaded',
      );
      assert.equal(uploads.length, before + 1, 'one audit entry per stored image (the deleted one included)');
    });
  });
}
