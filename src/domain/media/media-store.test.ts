import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { createLocalMediaStore } from './media-store.ts';

describe('local media store writes', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-store-'));
  });
  afterEach(() => {
    mock.restoreAll();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('gives a file its final name only once it is whole: written beside it under another name, then renamed', async () => {
    const store = createLocalMediaStore(root);
    const data = Buffer.alloc(256 * 1024, 7);
    const realRename = fsp.rename.bind(fsp);
    const seen: Array<{ sameFolder: boolean; targetExisted: boolean; complete: boolean }> = [];
    mock.method(fsp, 'rename', async (from: string, to: string) => {
      seen.push({
        sameFolder: path.dirname(from) === path.dirname(to),
        targetExisted: fs.existsSync(to),
        complete: fs.readFileSync(from).equals(data),
      });
      return realRename(from, to);
    });
    await store.put('k1', 'w320.jpg', data);
    assert.deepEqual(seen, [{ sameFolder: true, targetExisted: false, complete: true }]);
    assert.deepEqual(fs.readdirSync(path.join(root, 'k1')), ['w320.jpg'], 'no temporary file left');
    assert.ok((await store.read('k1', 'w320.jpg'))?.equals(data));
  });

  it('a write that fails leaves neither the file nor its temporary copy', async () => {
    const store = createLocalMediaStore(root);
    mock.method(fsp, 'rename', async () => {
      throw Object.assign(new Error('injected: the disk went away'), { code: 'EIO' });
    });
    await assert.rejects(store.put('k2', 'w640.webp', Buffer.alloc(1024, 1)), /disk went away/);
    assert.equal(await store.read('k2', 'w640.webp'), null);
    assert.deepEqual(fs.readdirSync(path.join(root, 'k2')), []);
  });

  it('lists its keys and removes only stale temporary files', async () => {
    const store = createLocalMediaStore(root);
    await store.put('k3', 'w320.jpg', Buffer.from('x'));
    const dir = path.join(root, 'k3');
    const old = new Date(Date.now() - 2 * 3600_000);
    fs.writeFileSync(path.join(dir, 'w640.jpg.0190a5c4-1111-7222-8333-444455556666.tmp'), 'half');
    fs.utimesSync(path.join(dir, 'w640.jpg.0190a5c4-1111-7222-8333-444455556666.tmp'), old, old);
    fs.writeFileSync(path.join(dir, 'w960.jpg.1234.tmp'), 'half, from an older version');
    fs.utimesSync(path.join(dir, 'w960.jpg.1234.tmp'), old, old);
    fs.writeFileSync(path.join(dir, 'w1280.jpg.0190a5c4-9999-7222-8333-444455556666.tmp'), 'being written now');
    fs.writeFileSync(path.join(root, 'stray-file.txt'), 'not a key');
    assert.deepEqual(
      (await store.listKeys()).map((k) => k.key),
      ['k3'],
    );
    assert.equal(await store.removeStaleTempFiles(new Date(Date.now() - 3600_000)), 2);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['w1280.jpg.0190a5c4-9999-7222-8333-444455556666.tmp', 'w320.jpg']);
  });

  it('lists the files of one key, sorted, without temporary files; an unknown key has none', async () => {
    const store = createLocalMediaStore(root);
    await store.put('k4', 'w640.webp', Buffer.from('b'));
    await store.put('k4', 'original.jpg', Buffer.from('a'));
    fs.writeFileSync(path.join(root, 'k4', 'w960.jpg.0190a5c4-1111-7222-8333-444455556666.tmp'), 'half');
    fs.mkdirSync(path.join(root, 'k4', 'not-a-file'));
    assert.deepEqual(await store.listFiles('k4'), ['original.jpg', 'w640.webp']);
    assert.deepEqual(await store.listFiles('missing'), []);
    await assert.rejects(store.listFiles('../etc'), /unsafe media path/);
  });
});
