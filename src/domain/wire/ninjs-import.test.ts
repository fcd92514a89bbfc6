import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { seedTaxonomy, serviceDepsFor, type Taxonomy, type TestServiceDeps } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { findArticleById } from '../articles/article-repository.ts';
import { updateArticle } from '../articles/article-service.ts';
import { authorsForArticle } from '../authors/author.ts';
import { documentText } from '../documents/document-text.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import { tagsForArticle } from '../tags/tag.ts';
import { importNinjsDocument } from './ninjs-import.ts';
import type { NinjsVersion } from './ninjs-schemas.ts';
import { fixturesSkip, jsonFilesUnder, NINJS_DIR, readNinjs } from '../../../test/support/wire-test-support.ts';

const fixtures = fixturesSkip(NINJS_DIR);

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: ninjs import`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;
    const count = async (table: 'articles' | 'authors' | 'tags' | 'images' | 'wire_imports') =>
      Number(
        (
          await deps.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle);
      tax = await seedTaxonomy(deps);
    });
    after(async () => {
      deps?.cleanup();
      await t?.destroy();
    });

    it(
      'imports every should_pass case of the IPTC suite and refuses every should_fail one with the schema reason',
      { skip: fixtures },
      async () => {
        const suite = path.join(NINJS_DIR, 'test-suite');
        let passed = 0;
        let refused = 0;
        for (const ver of fs.readdirSync(suite)) {
          // 1.0 is draft-03, which ajv cannot run; its cases are checked against 1.1.
          const schemaVersion = (ver === '1.0' ? '1.1' : ver) as NinjsVersion;
          for (const kind of ['should_pass', 'should_fail'] as const) {
            for (const file of fs.readdirSync(path.join(suite, ver, kind))) {
              const text = fs.readFileSync(path.join(suite, ver, kind, file), 'utf8');
              const label = `${ver}/${kind}/${file}`;
              if (kind === 'should_pass') {
                const r = await importNinjsDocument(deps, null, JSON.parse(text), { schemaVersion });
                assert.ok(['created', 'updated'].includes(r.status), label);
                assert.equal(r.article.status, 'draft', `${label}: never published from the wire`);
                passed++;
              } else {
                // Raw text: several cases are deliberately malformed JSON.
                await assert.rejects(importNinjsDocument(deps, null, text, { schemaVersion }), (err: unknown) => {
                  assert.ok(err instanceof ValidationError, label);
                  assert.match(err.message, /^Not valid ninjs( \d\.\d: \/\S*: .+|: the file is not JSON)/, `${label}: ${err.message}`);
                  return true;
                });
                refused++;
              }
            }
          }
        }
        assert.ok(passed > 60 && refused > 25, `${passed} passed, ${refused} refused`);
      },
    );

    it(
      'imports every official example, detecting the version by content; the extension example is refused',
      { skip: fixtures },
      async () => {
        for (const file of jsonFilesUnder(NINJS_DIR).filter((f) => /\/(documentation-)?examples\//.test(f))) {
          const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
          if (file.includes('schema-extension')) {
            await assert.rejects(
              importNinjsDocument(deps, null, doc),
              /Not valid ninjs 2\.1: \/: must NOT have unevaluated properties \("foofoo"\)|must have required property 'uri'/,
            );
            continue;
          }
          const r = await importNinjsDocument(deps, null, doc);
          assert.equal(r.ninjsVersion[0], path.basename(path.dirname(file))[0], file);
          assert.ok(r.article.headline.length > 0);
        }
      },
    );

    it(
      'maps a 1.x document: headline, byline into two authors, body_xhtml, description, picture kept as missing with caption and credit',
      { skip: fixtures },
      async () => {
        const r = await importNinjsDocument(deps, null, { ...readNinjs('examples/1.4/ninjsExComplex1.json'), uri: 'urn:test:1x-complex' });
        assert.equal(r.ninjsVersion, '1.6');
        assert.equal(r.article.headline, 'Captain of wrecked cruise ship on trial in Italy');
        assert.deepEqual(
          (await authorsForArticle(deps.db, r.article.id)).map((a) => a.name),
          ['Paulo Santalucia', "Frances d'Emilio"],
        );
        assert.equal(r.article.body.blocks.length, 4);
        assert.ok(r.article.body.blocks.every((b) => b.type === 'paragraph'));
        assert.match(documentText(r.article.body), /^GROSSETO, Italy \(AP\)/);
        assert.equal(r.article.language, 'en');
        assert.equal(r.article.heroImageId, null);
        assert.equal(r.missingPictures.length, 1);
        assert.equal(r.missingPictures[0]!.name, 'mainpic');
        assert.match(r.missingPictures[0]!.caption, /^The Costa Concordia cruise ship lies on its side/);
        assert.equal(r.missingPictures[0]!.credit, 'Paulo Santalucia');
        assert.match(r.missingPictures[0]!.href!, /^http:\/\/hosted\.ap\.org\/.*-big\.jpg$/);
        assert.ok(r.notes.some((n) => /remote images are never fetched/.test(n)));
      },
    );

    it(
      'maps a 2.x document: headlines[], "by" without the agency, bodies[] html, subjects to tags, language',
      { skip: fixtures },
      async () => {
        const r = await importNinjsDocument(deps, null, { ...readNinjs('examples/2.1/dpa_text.json'), uri: 'urn:test:2x-dpa' });
        assert.equal(r.ninjsVersion, '2.2');
        assert.equal(r.article.headline, 'Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?');
        assert.deepEqual(
          (await authorsForArticle(deps.db, r.article.id)).map((a) => a.name),
          ['Christian Hollmann'],
        );
        assert.equal(r.article.language, 'de');
        assert.match(documentText(r.article.body), /Lucien Favre/);
        assert.ok(!JSON.stringify(r.article.body).includes('<'), 'no markup survives');

        const tt = await importNinjsDocument(deps, null, { ...readNinjs('examples/2.1/tt_text_image_2.json'), uri: 'urn:test:2x-tt' });
        assert.equal(tt.article.language, 'sv');
        assert.deepEqual(
          (await tagsForArticle(deps.db, tt.article.id)).map((x) => x.name),
          ['Krig, konflikter och oroligheter'],
        );
        assert.equal(tt.missingPictures[0]?.credit, 'Karl Melander/TT');
      },
    );

    it('maps a 3.x document: camelCase versionCreated, pubStatus, subjects, picture association', { skip: fixtures }, async () => {
      const doc = readNinjs('examples/3.0/tt_text_image_3.json');
      const r = await importNinjsDocument(deps, null, { ...doc, uri: 'urn:test:3x-tt' });
      assert.equal(r.ninjsVersion, '3.1');
      assert.equal(r.article.headline, 'Militärövning i jätteformat hålls 2023');
      assert.deepEqual(
        (await tagsForArticle(deps.db, r.article.id)).map((x) => x.name),
        ['Krig, konflikter och oroligheter'],
      );
      const record = await deps.db
        .selectFrom('wire_imports')
        .selectAll()
        .where('source_key', '=', 'urn:test:3x-tt')
        .executeTakeFirstOrThrow();
      assert.equal(record.version_created, '2021-05-26T11:40:18.000Z');
      assert.equal(record.ninjs_version, '3.1');
      assert.equal(r.missingPictures.length, 1);
    });

    it('imports an undeclared 3.x document whose only camelCase is in its renditions, and one valid only under another version than its shape says', async () => {
      const picture = {
        uri: 'urn:test:undeclared-3x',
        type: 'text',
        headlines: [{ value: 'Harbour reopens after the storm' }],
        bodies: [{ role: 'main', value: '<p>Ferries ran again on Tuesday.</p>' }],
        associations: [
          {
            name: 'mainpic',
            uri: 'urn:test:undeclared-3x-pic',
            type: 'picture',
            renditions: [{ name: 'baseImage', href: 'https://example.org/p.jpg', contentType: 'image/jpeg', width: 800, height: 600 }],
          },
        ],
      };
      const r = await importNinjsDocument(deps, null, picture);
      assert.equal(r.status, 'created');
      assert.equal(r.ninjsVersion, '3.1');
      assert.equal(r.article.headline, 'Harbour reopens after the storm');

      const altids = { uri: 'urn:test:undeclared-altids', type: 'text', language: 'en', altids: [{ role: 'itemid', value: 'x-1' }] };
      const a = await importNinjsDocument(deps, null, altids);
      assert.equal(a.status, 'created');
      assert.equal(a.ninjsVersion, '2.2');
      assert.ok(a.notes.some((n) => /does not declare its ninjs version; it looked like 1\.6/.test(n)));
    });

    it('maps embargo and pubstatus; never publishes', async () => {
      const r = await importNinjsDocument(deps, null, {
        uri: 'urn:test:embargo',
        headlines: [{ role: 'main', value: 'Embargoed results' }],
        embargoed: '2026-12-01T09:00:00+01:00',
        pubstatus: 'withheld',
        versioncreated: '2026-11-25T10:00:00Z',
      });
      assert.equal(r.article.embargoUntil, '2026-12-01T08:00:00.000Z');
      assert.equal(r.article.status, 'draft');
      assert.ok(r.notes.some((n) => /withheld/.test(n)));
    });

    it('a second import of the same uri updates instead of duplicating; newer wins, older or same is kept', async () => {
      const base = {
        uri: 'urn:test:reimport',
        headline: 'First take',
        body_text: 'One.',
        versioncreated: '2026-11-25T08:00:00Z',
        byline: 'Sudesh Baniya',
      };
      const first = await importNinjsDocument(deps, null, base);
      assert.equal(first.status, 'created');
      assert.deepEqual(first.article.authorIds, [tax.reporter.id], 'an existing author is found by name, not duplicated');
      const articles = await count('articles');

      const same = await importNinjsDocument(deps, null, base);
      assert.deepEqual([same.status, same.changed, same.article.id], ['updated', false, first.article.id]);

      const newer = await importNinjsDocument(deps, null, { ...base, headline: 'Second take', versioncreated: '2026-11-25T09:00:00Z' });
      assert.deepEqual(
        [newer.status, newer.changed, newer.article.id, newer.article.headline],
        ['updated', true, first.article.id, 'Second take'],
      );
      assert.equal(newer.article.slug, first.article.slug, 'the desk keeps its URL');

      const older = await importNinjsDocument(deps, null, { ...base, headline: 'Stale take', versioncreated: '2026-11-25T07:00:00Z' });
      assert.deepEqual([older.status, older.changed, older.article.headline], ['updated', false, 'Second take']);
      assert.equal(await count('articles'), articles);

      // The desk edits the story; a newer wire copy must not silently overwrite that.
      const current = (await findArticleById(deps.db, first.article.id))!;
      await updateArticle(deps, current.id, { ...current, headline: 'Desk headline' }, current.revision);
      await assert.rejects(
        importNinjsDocument(deps, null, { ...base, headline: 'Third take', versioncreated: '2026-11-25T10:00:00Z' }),
        (err: unknown) => err instanceof ConflictError && /edited in the newsroom/.test(err.message),
      );
      const forced = await importNinjsDocument(
        deps,
        null,
        { ...base, headline: 'Third take', versioncreated: '2026-11-25T10:00:00Z' },
        { force: true },
      );
      assert.equal(forced.article.headline, 'Third take');

      const canceled = await importNinjsDocument(deps, null, {
        ...base,
        headline: 'KILL',
        pubstatus: 'canceled',
        versioncreated: '2026-11-25T11:00:00Z',
      });
      assert.deepEqual([canceled.changed, canceled.article.headline], [false, 'Third take']);
      assert.ok(canceled.notes.some((n) => /canceled/.test(n)));
      assert.equal(await count('articles'), articles);
    });

    it('ingests a picture whose rendition is a local file beside the document, and nothing else', async () => {
      const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
        .jpeg()
        .toBuffer();
      const asked: string[] = [];
      const r = await importNinjsDocument(
        deps,
        null,
        {
          uri: 'urn:test:local-picture',
          headlines: [{ role: 'main', value: 'With a local picture' }],
          bodies: [
            {
              role: 'main',
              contenttype: 'text/html',
              value: '<p>Text</p><img src="pics/photo.jpg" alt="inline"><img src="https://elsewhere.test/x.jpg">',
            },
          ],
          associations: [
            {
              name: 'mainpic',
              uri: 'urn:pic:1',
              type: 'picture',
              by: 'Jane Photographer',
              descriptions: [{ role: 'caption', value: 'A blue rectangle.' }],
              renditions: [{ name: 'hires', href: 'pics/photo.jpg', contenttype: 'image/jpeg', width: 64, height: 48 }],
            },
          ],
        },
        { localFiles: { read: async (rel) => (asked.push(rel), rel === 'pics/photo.jpg' ? jpeg : null) } },
      );
      assert.deepEqual(asked, ['pics/photo.jpg'], 'only relative hrefs are read; remote ones are never touched');
      assert.ok(r.article.heroImageId);
      const image = await deps.db.selectFrom('images').selectAll().where('id', '=', r.article.heroImageId).executeTakeFirstOrThrow();
      assert.deepEqual([image.caption, image.credit], ['A blue rectangle.', 'Jane Photographer']);
      const figures = r.article.body.blocks.filter((b) => b.type === 'figure');
      assert.equal(figures.length, 1, 'the inline copy of the imported picture is a figure; the remote one is dropped');
      assert.ok(r.notes.some((n) => n.includes('https://elsewhere.test/x.jpg')));
    });

    it('a refused item leaves nothing behind: no article, author, tag, image, file or record', async () => {
      const jpeg = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#000' } })
        .jpeg()
        .toBuffer();
      const before = await Promise.all((['articles', 'authors', 'tags', 'images', 'wire_imports'] as const).map(count));
      const filesBefore = fs.readdirSync(deps.mediaDir).length;
      await assert.rejects(
        importNinjsDocument(
          deps,
          null,
          {
            uri: 'urn:test:rollback',
            headline: 'Will fail',
            byline: 'Brand New Reporter',
            subject: [{ name: 'Brand new tag' }],
            associations: { mainpic: { uri: 'urn:p', type: 'picture', renditions: { main: { href: 'p.jpg' } } } },
          },
          { sectionId: 'no-such-section', localFiles: { read: async () => jpeg } },
        ),
        ValidationError,
      );
      assert.deepEqual(await Promise.all((['articles', 'authors', 'tags', 'images', 'wire_imports'] as const).map(count)), before);
      assert.equal(fs.readdirSync(deps.mediaDir).length, filesBefore, 'image files written before the failure are removed');
    });

    it('requires the author role when a newsroom user imports', async () => {
      await assert.rejects(
        importNinjsDocument(deps, { userId: 'u1', role: 'contributor' }, { uri: 'urn:test:role', headline: 'x' }),
        /author role/,
      );
    });
  });
}
