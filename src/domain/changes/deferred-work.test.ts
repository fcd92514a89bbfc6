import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDeferredWork } from './deferred-work.ts';

/** A promise and the function that settles it, to hold a job until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('deferred work', () => {
  it('never runs a job inline: it starts after the caller’s own continuation', async () => {
    const work = createDeferredWork({ log: () => ({ error: () => {} }) });
    const order: string[] = [];
    work.run('job', async () => void order.push('job'));
    order.push('caller');
    await Promise.resolve();
    order.push('caller, a microtask later');
    await work.drain();
    assert.deepEqual(order, ['caller', 'caller, a microtask later', 'job']);
  });

  it('drain() waits for work queued by work in flight', async () => {
    const work = createDeferredWork({ log: () => ({ error: () => {} }) });
    const done: string[] = [];
    work.run('first', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      work.run('second', async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        done.push('second');
      });
      done.push('first');
    });
    await work.drain();
    assert.deepEqual(done, ['first', 'second']);
    assert.equal(work.pending(), 0);
  });

  it('logs a failing job with its label and context and goes on with the others', async () => {
    const logged: Array<{ obj: object; msg: string }> = [];
    const work = createDeferredWork({ log: () => ({ error: (obj, msg) => void logged.push({ obj, msg }) }) });
    let ran = false;
    work.run('broken', async () => Promise.reject(new Error('boom')), { articleId: 'a1' });
    work.run('fine', async () => void (ran = true));
    await work.drain();
    assert.ok(ran);
    assert.equal(logged.length, 1);
    const { err, job, articleId } = logged[0]!.obj as { err: Error; job: string; articleId: string };
    assert.deepEqual([err.message, job, articleId], ['boom', 'broken', 'a1']);
  });

  it('runs at most `concurrency` jobs at once; the rest wait their turn', async () => {
    const work = createDeferredWork({ log: () => ({ error: () => {} }), concurrency: 2 });
    const gates = [gate(), gate(), gate()];
    let running = 0;
    let most = 0;
    const started: number[] = [];
    gates.forEach((g, i) =>
      work.run(`job ${i}`, async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await g.promise;
        running--;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started, [0, 1], 'the third waits');
    assert.equal(work.pending(), 3);
    gates[0]!.open();
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(started, [0, 1, 2], 'and starts when one finishes');
    gates[1]!.open();
    gates[2]!.open();
    await work.drain();
    assert.equal(most, 2);
  });
});
