import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guardedLookup, isPrivateAddress, urlRefusal } from './webhook-address.ts';
import { retryDelay, DEFAULT_RETRY_SCHEDULE } from './webhook-delivery.ts';
import { signPayload, verifySignature } from './webhook-signature.ts';

describe('webhook SSRF guard', () => {
  it('classifies loopback, private, link-local, CGNAT, mapped and reserved addresses as private', () => {
    for (const a of [
      '127.0.0.1',
      '127.8.9.10',
      '10.0.0.1',
      '10.255.255.255',
      '172.16.0.1',
      '172.31.255.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'fc12::3',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a00:1',
      '[::1]',
      'fe80::1%eth0',
    ]) {
      assert.equal(isPrivateAddress(a), true, a);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8', 'example.com'])
      assert.equal(isPrivateAddress(a), false, a);
  });

  it('refuses private and local URLs when saving unless allowed, and non-http schemes always', () => {
    for (const u of [
      'http://127.0.0.1:8080/hook',
      'http://10.1.2.3/',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/x',
      'http://localhost/',
      'http://api.localhost/',
      'http://printer.local/',
      'http://intranet/',
    ]) {
      assert.match(urlRefusal(new URL(u), false) ?? '', /local or private address/, u);
      assert.equal(urlRefusal(new URL(u), true), null, u);
    }
    assert.match(urlRefusal(new URL('ftp://example.com/'), true) ?? '', /http/);
    assert.match(urlRefusal(new URL('https://user:pw@example.com/'), true) ?? '', /no user name or password/);
    assert.equal(urlRefusal(new URL('https://hooks.example.com/masthead'), false), null);
  });

  it('checks the resolved address at connect time: localhost is refused by the lookup unless allowed', async () => {
    const lookup = (allow: boolean) =>
      new Promise<{ err: Error | null; address: unknown }>((resolve) =>
        guardedLookup(allow)('localhost', {}, (err, address) => resolve({ err, address })),
      );
    const refused = await lookup(false);
    assert.match(refused.err?.message ?? '', /resolves to (127\.0\.0\.1|::1), a local or private address/);
    const allowed = await lookup(true);
    assert.equal(allowed.err, null);
    assert.ok(isPrivateAddress(String(allowed.address)));
  });
});

describe('webhook retry schedule', () => {
  it('follows the schedule with ± jitter and stops after the last step', () => {
    assert.equal(retryDelay(1, { random: () => 0.5 }), 60_000, 'no jitter at the midpoint');
    assert.equal(retryDelay(1, { random: () => 0 }), 54_000, '−10%');
    assert.equal(retryDelay(1, { random: () => 0.999999 }), 66_000);
    assert.equal(retryDelay(2, { random: () => 0.5 }), 300_000);
    assert.equal(retryDelay(DEFAULT_RETRY_SCHEDULE.length + 1), null, 'no delay after the last attempt');
    const total = DEFAULT_RETRY_SCHEDULE.reduce((a, b) => a + b, 0);
    assert.ok(total > 20 * 3_600_000 && total < 28 * 3_600_000, `about a day of retries (${total / 3_600_000} h)`);
    assert.deepEqual(
      [1, 2, 3].map((n) => retryDelay(n, { retrySchedule: [10, 20], jitter: 0 })),
      [10, 20, null],
    );
  });
});

describe('webhook signatures', () => {
  it('signs timestamp.body with HMAC-SHA256 and verifies in constant time, refusing stale or altered deliveries', () => {
    const body = '{"id":"e1","type":"article.published"}';
    const sig = signPayload('whsec_test', 1_790_000_000, body);
    assert.match(sig, /^sha256=[0-9a-f]{64}$/);
    const now = new Date(1_790_000_000 * 1000 + 30_000);
    assert.equal(verifySignature('whsec_test', { timestamp: '1790000000', signature: sig }, body, { now }), true);
    assert.equal(verifySignature('whsec_other', { timestamp: '1790000000', signature: sig }, body, { now }), false);
    assert.equal(verifySignature('whsec_test', { timestamp: '1790000000', signature: sig }, body + ' ', { now }), false);
    assert.equal(verifySignature('whsec_test', { timestamp: '1790000001', signature: sig }, body, { now }), false, 'timestamp is signed');
    assert.equal(
      verifySignature('whsec_test', { timestamp: '1790000000', signature: sig }, body, { now: new Date(now.getTime() + 3_600_000) }),
      false,
      'stale',
    );
  });
});
