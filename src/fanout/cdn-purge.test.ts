import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createCdnPurger, startCdnPurger, tagHeaderValues } from './cdn-purge.ts';
import { createLocalChangeBus } from './change-bus.ts';

/** A purge endpoint that records requests and answers with the statuses queued in `replies`. */
function startEndpoint() {
  const received: Array<{ method: string; tags: string; authorization: string | undefined }> = [];
  const replies: number[] = [];
  let hang = false;
  const server = http.createServer((req, res) => {
    received.push({ method: req.method ?? '', tags: String(req.headers['xkey-purge'] ?? ''), authorization: req.headers.authorization });
    if (hang) return; // never answers: the purger's timeout must end it
    res.writeHead(replies.shift() ?? 200).end('ok');
  });
  return { server, received, replies, setHang: (v: boolean) => (hang = v) };
}

describe('CDN purge adapter', () => {
  const endpoint = startEndpoint();
  let url: string;
  const logged: Array<{ level: string; msg: string }> = [];
  const logger = {
    warn: (_obj: object, msg: string) => logged.push({ level: 'warn', msg }),
    error: (_obj: object, msg: string) => logged.push({ level: 'error', msg }),
  };

  before(async () => {
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(endpoint.server.address() as AddressInfo).port}/`;
  });
  after(async () => {
    endpoint.server.closeAllConnections();
    await new Promise((resolve) => endpoint.server.close(resolve));
  });
  beforeEach(() => {
    endpoint.received.length = 0;
    endpoint.replies.length = 0;
    logged.length = 0;
    endpoint.setHang(false);
  });

  it('sends the tags of changes applied together, local or heard from another node, as one PURGE per endpoint', async () => {
    const bus = createLocalChangeBus(() => {});
    const purger = startCdnPurger(bus, { urls: [url, url], token: 'k' }, logger, { batchMs: 50, repurgeMs: 0 });
    await bus.publish({ tags: ['story:1', 'lists:site'], cause: 'story.publish' });
    await bus.publish({ tags: ['story:2', 'lists:site'], cause: 'story.publish' });
    await bus.deliver({ tags: ['story:3'], cause: 'story.publish' }, 'remote');
    await purger.stop();
    assert.deepEqual(endpoint.received, [
      { method: 'PURGE', tags: 'story:1 lists:site story:2 story:3', authorization: 'Bearer k' },
      { method: 'PURGE', tags: 'story:1 lists:site story:2 story:3', authorization: 'Bearer k' },
    ]);
    assert.deepEqual(logged, []);
  });

  it('purges everything at the edge for a clear (demo or bulk load), not for this node’s lost or restored channel', async () => {
    const bus = createLocalChangeBus(() => {});
    const purger = startCdnPurger(bus, { urls: [url], token: undefined }, logger, { batchMs: 5, repurgeMs: 0 });
    await bus.deliver({ tags: [], cause: 'fanout.lost', clear: true }, 'remote');
    await bus.deliver({ tags: [], cause: 'fanout.restored', clear: true }, 'remote');
    await bus.publish({ tags: [], cause: 'demo.load', clear: true });
    await purger.stop();
    assert.deepEqual(
      endpoint.received.map((r) => r.tags),
      ['*'],
    );
  });

  it('purges each batch a second time after a delay, and sends waiting second purges at once on flush', async () => {
    const purger = createCdnPurger({ urls: [url], token: undefined }, logger, { batchMs: 1, repurgeMs: 40 });
    purger.purge(['story:1']);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(
      endpoint.received.map((r) => r.tags),
      ['story:1'],
      'the first purge went out alone',
    );
    await new Promise((r) => setTimeout(r, 80));
    assert.deepEqual(
      endpoint.received.map((r) => r.tags),
      ['story:1', 'story:1'],
      'then the second',
    );
    purger.purge(['story:2']);
    await purger.flush();
    assert.deepEqual(
      endpoint.received.map((r) => r.tags),
      ['story:1', 'story:1', 'story:2', 'story:2'],
      'flush did not wait for the delay',
    );
  });

  it('does nothing without a purge URL', async () => {
    const bus = createLocalChangeBus(() => {});
    const purger = startCdnPurger(bus, { urls: [], token: undefined }, logger);
    await bus.publish({ tags: ['story:1'], cause: 'story.publish' });
    await purger.stop();
    assert.equal(endpoint.received.length, 0);
  });

  it('retries a 5xx a bounded number of times, then logs; never retries a refusal', async () => {
    const purger = createCdnPurger({ urls: [url], token: undefined }, logger, { batchMs: 1, attempts: 3, retryDelayMs: 1, repurgeMs: 0 });
    endpoint.replies.push(503, 200);
    purger.purge(['story:1']);
    await purger.flush();
    assert.equal(endpoint.received.length, 2, 'the second attempt succeeded');
    assert.deepEqual(
      logged.map((l) => l.level),
      ['warn'],
    );

    endpoint.received.length = 0;
    logged.length = 0;
    endpoint.replies.push(503, 503, 503);
    purger.purge(['story:2']);
    await purger.flush();
    assert.equal(endpoint.received.length, 3, 'three attempts in all');
    assert.deepEqual(
      logged.map((l) => l.level),
      ['warn', 'warn', 'error'],
    );

    endpoint.received.length = 0;
    logged.length = 0;
    endpoint.replies.push(403);
    purger.purge(['story:3']);
    await purger.flush();
    assert.equal(endpoint.received.length, 1, 'a 403 from the ACL is not retried');
    assert.deepEqual(
      logged.map((l) => l.level),
      ['error'],
    );
  });

  it('gives up on an endpoint that does not answer, and on one that is not there', async () => {
    endpoint.setHang(true);
    const purger = createCdnPurger({ urls: [url, 'http://127.0.0.1:1/'], token: undefined }, logger, {
      batchMs: 1,
      repurgeMs: 0,
      timeoutMs: 50,
      attempts: 2,
      retryDelayMs: 1,
    });
    purger.purge(['story:1']);
    await purger.flush();
    assert.equal(endpoint.received.length, 2);
    assert.equal(logged.filter((l) => l.level === 'error').length, 2, 'one failure logged per endpoint');
  });

  it('splits long tag lists and sends * alone', () => {
    const tags = Array.from({ length: 300 }, (_, i) => `story:0190a0a0-0000-7000-8000-${String(i).padStart(12, '0')}`);
    const values = tagHeaderValues(tags);
    assert.ok(values.length > 1);
    assert.ok(values.every((v) => v.length <= 4000));
    assert.deepEqual(values.join(' ').split(' '), tags);
    assert.deepEqual(tagHeaderValues(['story:1', '*', 'lists:site']), ['*']);
  });
});
