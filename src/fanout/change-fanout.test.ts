import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Redis } from 'ioredis';
import { POSTGRES_ADMIN_URL, testDialects } from '../../test/support/test-db.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { sectionTag, storyTag } from '../domain/changes/cache-tags.ts';
import type { ContentChange } from '../domain/changes/content-change.ts';

/*
 * Two real app processes over one PostgreSQL database, once fanned out through Redis and once
 * through LISTEN/NOTIFY: a story written on node A reaches node B as a 'remote' change naming
 * its tags, and a node whose channel is cut delivers a clear on the loss and on recovery, then
 * hears changes again. Delivery is polled with a generous deadline; no latency is asserted.
 */

const REDIS_URL = process.env.MASTHEAD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DEADLINE_MS = 30_000;

type Heard = { change: ContentChange; origin: 'local' | 'remote' };
type Message =
  | { type: 'ready'; port: number }
  | { type: 'change'; change: ContentChange; origin: 'local' | 'remote' }
  | { type: 'written'; articleId: string; sectionId: string }
  | { type: 'error'; message: string };

/** One app node in a child process, and everything it reported. */
class Node {
  readonly heard: Heard[] = [];
  readonly messages: Message[] = [];
  readonly child: ChildProcess;
  constructor(
    readonly nodeId: string,
    env: Record<string, string>,
  ) {
    this.child = fork('test/support/fanout-node.ts', [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env, FANOUT_NODE_ID: nodeId },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m: Message) => {
      this.messages.push(m);
      if (m.type === 'change') this.heard.push({ change: m.change, origin: m.origin });
    });
  }
  async waitFor<T extends Message>(what: string, pick: (m: Message) => m is T): Promise<T> {
    const found = await poll(what, () => this.messages.find(pick));
    return found;
  }
  async write(headline: string): Promise<{ articleId: string; sectionId: string }> {
    this.child.send({ type: 'write', headline });
    const written = await this.waitFor(
      `write of ${headline}`,
      (m): m is Extract<Message, { type: 'written' }> => m.type === 'written' && !this.used.has(m),
    );
    this.used.add(written);
    return written;
  }
  private readonly used = new Set<Message>();
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'stop' });
    await Promise.race([exited, sleep(10_000).then(() => this.child.kill())]);
  }
}

async function poll<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const until = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function redisReachable(): Promise<boolean> {
  const { hostname, port } = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

const postgres = (await testDialects()).find((d) => d.dialect === 'postgres')!;
const redisUp = await redisReachable();
if (!redisUp && process.env.CI === 'true') throw new Error(`Redis not reachable at ${REDIS_URL}; CI must test the Redis fan-out`);

const transports = [
  { name: 'Redis pub/sub', redis: true, skip: postgres.skip || (redisUp ? false : `Redis not reachable at ${REDIS_URL}`) },
  { name: 'PostgreSQL LISTEN/NOTIFY', redis: false, skip: postgres.skip },
] as const;

for (const transport of transports) {
  describe(`two app processes over PostgreSQL, fanned out through ${transport.name}`, { skip: transport.skip }, () => {
    const dbName = `masthead_fanout_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
    const channel = `masthead_changes_test_${crypto.randomBytes(6).toString('hex')}`;
    let a: Node;
    let b: Node;

    before(async () => {
      const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await admin.connect();
      await admin.query(`create database "${dbName}"`);
      await admin.end();
      const url = new URL(POSTGRES_ADMIN_URL);
      url.pathname = `/${dbName}`;
      const handle = await openDatabase({ kind: 'postgres', url: url.toString() });
      await migrateToLatest(handle.db);
      await handle.close();
      const env = {
        FANOUT_DATABASE_URL: url.toString(),
        FANOUT_CHANNEL: channel,
        ...(transport.redis ? { FANOUT_REDIS_URL: REDIS_URL } : {}),
      };
      a = new Node(`node-a-${crypto.randomUUID()}`, env);
      b = new Node(`node-b-${crypto.randomUUID()}`, env);
      await Promise.all([a, b].map((node) => node.waitFor('ready', (m): m is Extract<Message, { type: 'ready' }> => m.type === 'ready')));
    });
    after(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await admin.connect();
      await admin.query(`drop database if exists "${dbName}" with (force)`);
      await admin.end();
    });

    it('a story written on node A reaches node B as a remote change naming its tags (and A hears it as local)', async () => {
      const { articleId, sectionId } = await a.write('Breaking on node A');
      const remote = await poll('the change on node B', () =>
        b.heard.find((h) => h.origin === 'remote' && h.change.tags.includes(storyTag(articleId))),
      );
      assert.equal(remote.change.cause, 'story.create');
      assert.ok(remote.change.tags.includes(sectionTag(sectionId)), 'its section front is named');
      assert.ok(a.heard.some((h) => h.origin === 'local' && h.change.tags.includes(storyTag(articleId))));
      assert.ok(
        !a.heard.some((h) => h.origin === 'remote' && h.change.tags.includes(storyTag(articleId))),
        'a node ignores its own messages',
      );
    });

    it('a node that loses its channel delivers a clear on the loss and on recovery, then hears changes again', async () => {
      const before = b.heard.length;
      await cutChannel(b.nodeId, transport.redis);
      await poll('a clear on the loss', () => b.heard.slice(before).find((h) => h.change.clear && h.change.cause === 'fanout.lost'));
      const restored = await poll('a clear on recovery', () =>
        b.heard.slice(before).find((h) => h.change.clear && h.change.cause === 'fanout.restored'),
      );
      assert.equal(restored.origin, 'remote');
      assert.deepEqual(restored.change.tags, []);
      const { articleId } = await a.write('After the outage');
      await poll('a change after recovery', () =>
        b.heard.find((h) => h.origin === 'remote' && h.change.tags.includes(storyTag(articleId))),
      );
      assert.ok(!a.heard.some((h) => h.change.clear), 'node A kept its channel and cleared nothing');
    });
  });
}

/** Cuts a node's listening connection from the server side, as a network failure or a restart would. */
async function cutChannel(nodeId: string, redis: boolean): Promise<void> {
  const name = `masthead-changes-${nodeId}`;
  if (redis) {
    const admin = new Redis(REDIS_URL);
    try {
      const clients = String(await admin.client('LIST'))
        .split('\n')
        .filter((line) => line.includes(` name=${name} `));
      assert.equal(clients.length, 1, 'the node has one listening connection');
      await admin.client('KILL', 'ID', /\bid=(\d+)/.exec(clients[0]!)![1]!);
    } finally {
      admin.disconnect();
    }
    return;
  }
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    const r = await admin.query('select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1', [
      name.slice(0, 63),
    ]);
    assert.equal(r.rowCount, 1, 'the node has one listening connection');
  } finally {
    await admin.end();
  }
}
