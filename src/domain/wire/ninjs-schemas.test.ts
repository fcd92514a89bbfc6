import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { assertValidNinjs, NINJS_VERSIONS, SCHEMA_DIR, schemaFileOf } from './ninjs-schemas.ts';
import { detectNinjsVersion } from './ninjs-version.ts';
import { fixturesSkip, NINJS_DIR } from '../../../test/support/wire-test-support.ts';

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
