import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Db } from '../../db/database.ts';
import { changeDroppedMemo, dropChangeDroppedMemos } from './change-dropped-memo.ts';

// The memo only keys on the database object; no query runs, so any two objects stand for two databases.
const dbA = {} as Db;
const dbB = {} as Db;

describe('change-dropped memo', () => {
  it('reads once while trusted, again once the time has passed, and again after a change', async () => {
    const reads: number[] = [];
    const memo = changeDroppedMemo(async (_db, nowMs) => (reads.push(nowMs), reads.length), 5_000)(dbA);
    assert.equal(await memo.get(1_000), 1);
    assert.equal(await memo.get(5_999), 1, 'within the trusted time: the first read');
    assert.equal(await memo.get(6_000), 2, 'trusted time over: read again');
    assert.equal(await memo.get(500), 3, 'a clock that went back is not trusted');
    dropChangeDroppedMemos(dbA);
    assert.equal(await memo.get(600), 4, 'a change drops it');
    assert.deepEqual(reads, [1_000, 6_000, 500, 600]);
  });

  it('keeps one memo per database, and a change drops only its own database’s', async () => {
    let reads = 0;
    const memoOf = changeDroppedMemo(async () => ++reads, 60_000);
    assert.equal(memoOf(dbB), memoOf(dbB), 'the same memo on every call');
    const a = memoOf({} as Db);
    const b = memoOf(dbB);
    assert.equal(await a.get(0), 1);
    assert.equal(await b.get(0), 2);
    dropChangeDroppedMemos(dbB);
    assert.equal(await a.get(1), 1, 'the other database keeps its value');
    assert.equal(await b.get(1), 3);
  });

  it('shares a read in flight and never keeps a failed one', async () => {
    let reads = 0;
    let fail = true;
    const memo = changeDroppedMemo(async () => {
      reads++;
      if (fail) throw new Error('database unavailable');
      return 'languages';
    }, 60_000)({} as Db);
    const first = memo.get(0);
    const second = memo.get(0);
    await assert.rejects(first, /unavailable/);
    await assert.rejects(second, /unavailable/);
    assert.equal(reads, 1, 'concurrent requests share one read');
    fail = false;
    assert.equal(await memo.get(1), 'languages', 'the failure was not kept');
    assert.equal(reads, 2);
  });
});
