import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CURRENT_PARAMS, hashPassword, needsRehash, verifyPassword } from './password-hash.ts';

describe('password hashing (scrypt)', () => {
  it('stores a self-describing string with the parameters, a 16-byte salt and the key', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const m = /^scrypt\$N=32768,r=8,p=1\$([^$]+)\$([^$]+)$/.exec(stored);
    assert.ok(m, stored);
    assert.equal(Buffer.from(m[1]!, 'base64').length, 16);
    assert.equal(Buffer.from(m[2]!, 'base64').length, 32);
    assert.ok(!stored.includes('correct horse'));
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    assert.equal(await verifyPassword('correct horse battery staple', stored), true);
    assert.equal(await verifyPassword('correct horse battery stapl', stored), false);
    assert.equal(await verifyPassword('', stored), false);
  });

  it('salts: the same password hashes differently each time', async () => {
    assert.notEqual(await hashPassword('same password here'), await hashPassword('same password here'));
  });

  it('treats Unicode normal forms alike (é typed two ways)', async () => {
    const stored = await hashPassword('caf\u00e9 au lait pass');
    assert.equal(await verifyPassword('cafe\u0301 au lait pass', stored), true);
  });

  it('refuses unreadable or absurd stored hashes instead of throwing', async () => {
    for (const bad of [
      '',
      'plain',
      'scrypt$N=3,r=8,p=1$AAAA$BBBB',
      `scrypt$N=${2 ** 30},r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$${'A'.repeat(44)}`,
      'bcrypt$2b$10$abc',
    ]) {
      assert.equal(await verifyPassword('anything at all', bad), false, bad);
      assert.equal(needsRehash(bad), true);
    }
  });

  it('asks for a rehash when the parameters differ from the current ones, and still verifies old hashes', async () => {
    const weak = await hashPassword('correct horse battery staple', { N: 2 ** 10, r: 8, p: 1 });
    assert.match(weak, /^scrypt\$N=1024,r=8,p=1\$/);
    assert.equal(await verifyPassword('correct horse battery staple', weak), true);
    assert.equal(needsRehash(weak), true);
    assert.equal(needsRehash(await hashPassword('x'.repeat(12))), false);
    assert.deepEqual({ ...CURRENT_PARAMS }, { N: 32768, r: 8, p: 1 });
  });
});
