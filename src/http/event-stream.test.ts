import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createStreamHub } from './event-stream.ts';

/* The hub's shared reads: what lets one node feed thousands of readers of one live blog. */

describe('stream hub: shared reads', () => {
  it('runs one read for every stream asking the same thing at once, and a separate one for another cursor', async () => {
    const hub = createStreamHub(10);
    let reads = 0;
    const read = (value: string) => async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 5));
      return value;
    };
    const results = await Promise.all([
      ...Array.from({ length: 50 }, () => hub.shared('blog-1', 'cursor-a', read('a'))),
      hub.shared('blog-1', 'cursor-b', read('b')),
      hub.shared('blog-2', 'cursor-a', read('other blog')),
    ]);
    assert.equal(reads, 3);
    assert.deepEqual(results.slice(48), ['a', 'a', 'b', 'other blog']);
    // Once answered, the next ask reads again: nothing is kept past the read.
    assert.equal(await hub.shared('blog-1', 'cursor-a', read('a again')), 'a again');
    assert.equal(reads, 4);
  });

  it('does not let a stream nudged during a read join that read (it may have missed the change)', async () => {
    const hub = createStreamHub(10);
    let release!: () => void;
    const first = hub.shared('blog-1', 'c', () => new Promise<string>((r) => (release = () => r('before the entry'))));
    hub.nudge(['blog-1']);
    const second = hub.shared('blog-1', 'c', async () => 'after the entry');
    release();
    assert.equal(await first, 'before the entry');
    assert.equal(await second, 'after the entry');
    // A nudge of another blog leaves this blog's read shared.
    let slow!: () => void;
    let count = 0;
    const a = hub.shared('blog-1', 'd', () => new Promise<number>((r) => (slow = () => r(++count))));
    hub.nudge(['blog-2']);
    const b = hub.shared('blog-1', 'd', async () => ++count);
    slow();
    assert.deepEqual(await Promise.all([a, b]), [1, 1]);
  });

  it('shares nothing after a failed read', async () => {
    const hub = createStreamHub(10);
    await assert.rejects(
      hub.shared('k', 'c', async () => Promise.reject(new Error('database away'))),
      /database away/,
    );
    assert.equal(await hub.shared('k', 'c', async () => 'back'), 'back');
  });
});
