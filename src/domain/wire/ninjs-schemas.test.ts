import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { assertValidNinjs, NINJS_VERSIONS, ninjsValidator, SCHEMA_DIR, schemaFileOf } from './ninjs-schemas.ts';
import { chooseNinjsVersion, detectNinjsVersion } from './ninjs-version.ts';
import { fixturesSkip, jsonFilesUnder, NINJS_DIR } from '../../../test/support/wire-test-support.ts';

const skip = fixturesSkip(NINJS_DIR);

describe('vendored ninjs schemas', { skip }, () => {
  it('are identical to the official copies in the shared fixtures (no drift)', () => {
    const files = [...NINJS_VERSIONS.map((v) => path.basename(schemaFileOf(v))), 'GeoJSON-schema.json'];
    for (const file of files) {
      const ours = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as unknown;
      const official = JSON.parse(fs.readFileSync(path.join(NINJS_DIR, 'schemas', file), 'utf8')) as unknown;
      assert.deepEqual(ours, official, `${file} differs from the official schema`);
    }
  });
});

describe('ninjs version detection', () => {
  it('follows a declared version, then the shape of the document', () => {
    assert.equal(detectNinjsVersion({ uri: 'a', $standard: { version: '1.4' } }), '1.4');
    assert.equal(detectNinjsVersion({ uri: 'a', standard: { schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_3.0.json' } }), '3.0');
    // `standard` only exists from 2.0 on: a 1.x schema named there is ignored.
    assert.equal(detectNinjsVersion({ uri: 'a', standard: { schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_1.3.json' } }), '2.2');
    assert.equal(detectNinjsVersion({ uri: 'a', versionCreated: '2024-01-01T00:00:00Z' }), '3.1');
    assert.equal(detectNinjsVersion({ uri: 'a', headlines: [{ role: 'main', contentType: 'text/plain', value: 'x' }] }), '3.1');
    assert.equal(detectNinjsVersion({ uri: 'a', headlines: [{ role: 'main', value: 'x' }] }), '2.2');
    assert.equal(detectNinjsVersion({ uri: 'a', associations: [] }), '2.2');
    assert.equal(detectNinjsVersion({ uri: 'a', headline: 'x' }), '1.6');
    assert.equal(detectNinjsVersion({ uri: 'a', standard: { version: '3.7' } }), '3.1', 'an unknown later minor uses its major');
  });

  it('detects every official example as a version whose schema accepts it', { skip }, () => {
    for (const folder of ['examples', 'documentation-examples']) {
      for (const ver of fs.readdirSync(path.join(NINJS_DIR, folder))) {
        const dir = path.join(NINJS_DIR, folder, ver);
        for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
          const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as unknown;
          const detected = detectNinjsVersion(doc);
          assert.equal(detected[0], ver[0], `${folder}/${ver}/${file}: major`);
          assertValidNinjs(doc, detected);
        }
      }
    }
  });
});

describe('undeclared ninjs 3.x documents', () => {
  const rendition = { name: 'baseImage', href: 'https://example.org/p.jpg', contentType: 'image/jpeg', width: 1024, height: 683 };
  // Valid 3.1 whose only 3.x signals sit below the top level; the 2.x arrays they use would say 2.x.
  const cases: Array<[string, Record<string, unknown>]> = [
    ['in renditions', { uri: 'urn:x:1', type: 'picture', headlines: [{ value: 'Harbour at dawn' }], renditions: [rendition] }],
    [
      'in an association’s renditions',
      {
        uri: 'urn:x:2',
        type: 'text',
        headlines: [{ value: 'Harbour reopens' }],
        associations: [{ name: 'mainpic', uri: 'urn:x:2p', type: 'picture', renditions: [{ ...rendition, sizeInBytes: 48213 }] }],
      },
    ],
    [
      'in a place’s geoJSON',
      {
        uri: 'urn:x:3',
        type: 'text',
        headlines: [{ value: 'Harbour reopens' }],
        places: [{ name: 'Oslo', geoJSON: { type: 'Point', coordinates: [10.75, 59.91] } }],
      },
    ],
  ];

  it('are read as 3.x from camelCase properties anywhere in them, renditions included', () => {
    for (const [where, doc] of cases) {
      assertValidNinjs(doc, '3.1');
      assert.equal(ninjsValidator('2.2')(doc), false, `${where}: not 2.2, so a 2.x reading refuses it`);
      assert.equal(detectNinjsVersion(doc), '3.1', where);
      assert.deepEqual(chooseNinjsVersion(doc), { version: '3.1', note: null }, where);
    }
  });

  it('keeps 1.x documents whose rendition names (free-form keys) are camelCase as 1.x', () => {
    const doc = { uri: 'urn:x:4', type: 'picture', renditions: { baseImage: { href: 'p.jpg', mimetype: 'image/jpeg' } } };
    assert.equal(detectNinjsVersion(doc), '1.6');
    assert.equal(chooseNinjsVersion(doc).version, '1.6');
  });

  it('accepts an undeclared document under the version whose schema takes it when the guess refuses it, and says so', () => {
    // 2.x altids with no other 2.x marker look like 1.x, whose schema refuses an altids list.
    const doc = { uri: 'urn:x:5', type: 'text', altids: [{ role: 'itemid', value: 'a-1' }] };
    assert.equal(detectNinjsVersion(doc), '1.6');
    const choice = chooseNinjsVersion(doc);
    assert.equal(choice.version, '2.2');
    assert.match(choice.note ?? '', /looked like 1\.6 but only the 2\.2 schema accepts it/);
  });

  it('never second-guesses a declared or forced version, and refuses what no version accepts with the guess’s reason', () => {
    const declared = { uri: 'urn:x:6', standard: { name: 'ninjs', version: '2.2' }, type: 'text', versionCreated: 'nope' };
    assert.throws(() => chooseNinjsVersion(declared), /Not valid ninjs 2\.2/);
    assert.throws(
      () => chooseNinjsVersion({ uri: 'urn:x:7', type: 'text', altids: [{ role: 'a', value: 'b' }] }, '1.6'),
      /Not valid ninjs 1\.6/,
    );
    assert.throws(() => chooseNinjsVersion({ uri: 'urn:x:8', headlines: 'not a list', versionCreated: 1 }), /Not valid ninjs 3\.1/);
  });

  it('imports every official document that should pass, with its version declaration removed', { skip }, () => {
    let n = 0;
    for (const folder of ['examples', 'documentation-examples', 'test-suite']) {
      for (const file of jsonFilesUnder(path.join(NINJS_DIR, folder))) {
        if (file.includes('should_fail') || file.includes('schema-extension')) continue;
        const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
        const major = /\/(\d)\.\d\//.exec(file)?.[1];
        delete doc.standard;
        delete doc.$standard;
        const choice = chooseNinjsVersion(doc);
        assert.ok(ninjsValidator(choice.version)(doc), file);
        // Versions overlap (a 3.x document with only `uri` and `headlines` is valid 2.x too), but
        // one that the 2.x schema refuses must be read as 3.x, never as 1.x.
        if (major === '3' && !ninjsValidator('2.2')(doc)) assert.equal(choice.version[0], '3', file);
        n++;
      }
    }
    assert.ok(n > 20, `${n} documents`);
  });
});
