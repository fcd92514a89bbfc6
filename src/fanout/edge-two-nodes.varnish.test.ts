import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { seedUser } from '../../test/support/account-factories.ts';
import { buildArticleInput, hoursAgo } from '../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { request, startVarnish, varnishUnavailable, type RunningVarnish } from '../../test/support/varnish.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { createDeps, type Deps } from '../deps.ts';
import type { Actor } from '../domain/accounts/role.ts';
import { addNote } from '../domain/articles/article-notes.ts';
import { createArticle, updateArticle } from '../domain/articles/article-service.ts';
import { runWorkflowAction } from '../domain/articles/article-workflow-service.ts';
import type { Article } from '../domain/articles/article.ts';
import type { ArticleInput } from '../domain/articles/article-schemas.ts';
import { createSection } from '../domain/sections/section.ts';
import { startCdnPurger } from './cdn-purge.ts';

/*
 * The whole chain as deployed: two app nodes on one PostgreSQL database, each with its page
 * cache and its CDN purger (wired as main.ts wires them), fanning changes out over LISTEN/NOTIFY,
 * and the shipped VCL in a real Varnish in front of node B, where readers come in. A story
 * written on node A (the newsroom's node) must reach readers at the edge: a save, an unpublish
 * (404) and a correction, each with the edge warm beforehand.
 */

const unavailable = varnishUnavailable();
const postgres = (await testDialects()).find((d) => d.dialect === 'postgres')!;

interface Node {
  deps: Deps;
  app: FastifyInstance;
  port: number;
  purger?: ReturnType<typeof startCdnPurger>;
}

describe('two nodes behind Varnish: a change on node A reaches readers at the edge', { skip: unavailable ?? postgres.skip }, () => {
  let db: TestDatabase;
  let mediaDir: string;
  let a: Node;
  let b: Node;
  let varnish: RunningVarnish;
  let editor: Actor;
  let story: Article;
  let input: ArticleInput;
  let sectionSlug: string;
  const logged: string[] = [];
  const logger = { warn: (_o: object, msg: string) => logged.push(msg), error: (_o: object, msg: string) => logged.push(msg) };
  const channel = `masthead_edge_${crypto.randomBytes(4).toString('hex')}`;

  async function startNode(nodeId: string): Promise<Node> {
    const config = loadConfig({
      MASTHEAD_DATABASE_URL: db.location,
      MASTHEAD_MEDIA_DIR: mediaDir,
      MASTHEAD_SITE_URL: 'https://news.example.test',
      MASTHEAD_PAGE_CACHE_MB: '16',
      LOG_LEVEL: 'silent',
    });
    const handle = await openDatabase(config.database);
    const deps = await createDeps(config, { handle, changeChannel: channel, nodeId });
    const app = await buildApp(deps);
    await app.listen({ port: 0, host: '127.0.0.1' });
    await deps.changes.start();
    return { deps, app, port: (app.server.address() as AddressInfo).port };
  }

  const edge = (p: string) => request(`${varnish.url}${p}`);
  const pagePath = () => `/${sectionSlug}/${story.slug}`;

  /** Polls the edge until `ok` holds for `p` (the fan-out and purges are asynchronous); fails after 10 s. */
  async function edgeUntil(p: string, ok: (res: Awaited<ReturnType<typeof edge>>) => boolean, what: string) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await edge(p);
      if (ok(res)) return res;
      if (Date.now() > deadline) assert.fail(`${what}: the edge still answers ${res.status} at ${p}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Both purgers have sent what they queued, so whatever the edge holds now it keeps. */
  async function settled() {
    await new Promise((r) => setTimeout(r, 200));
    await a.purger!.flush();
    await b.purger!.flush();
  }

  /** The edge holds `p` (a second request is a Varnish hit). */
  async function warm(p: string) {
    await edge(p);
    const res = await edge(p);
    assert.equal(res.headers['x-cache'], 'HIT', `${p} is cached at the edge`);
    return res;
  }

  before(async () => {
    db = await createTestDatabase('postgres');
    mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-edge-media-'));
    a = await startNode('node-a');
    b = await startNode('node-b');
    varnish = await startVarnish(b.port);
    for (const node of [a, b]) {
      node.purger = startCdnPurger(node.deps.changes, { urls: [`${varnish.url}/`], token: undefined }, logger, { batchMs: 1 });
    }
    editor = { userId: (await seedUser(a.deps, 'editor')).id, role: 'editor' };
    const section = await createSection(a.deps.db, { name: 'World' }, new Date());
    sectionSlug = section.slug;
    input = buildArticleInput({ sectionId: section.id, headline: 'Floods close the northern rail line', publishedAt: hoursAgo(1) });
    story = await createArticle(a.deps, input);
  });

  after(async () => {
    for (const node of [a, b]) {
      await node?.purger?.stop();
      await node?.app.close();
      await node?.deps.close();
    }
    await varnish?.stop();
    await db?.destroy();
    if (mediaDir) fs.rmSync(mediaDir, { recursive: true, force: true });
  });

  it('a save on node A is what readers get from the edge, page and front, and it stays so', async () => {
    await warm(pagePath());
    await warm('/');
    const headline = 'Floods close the northern rail line for a week';
    story = await updateArticle(a.deps, story.id, { ...input, headline }, story.revision);
    await edgeUntil(pagePath(), (r) => r.body.toString().includes(headline), 'the saved headline');
    await edgeUntil('/', (r) => r.body.toString().includes(headline), 'the front with the saved headline');
    await settled();
    for (let i = 0; i < 3; i++) {
      for (const p of [pagePath(), '/']) assert.ok((await edge(p)).body.toString().includes(headline), `${p} stays current at the edge`);
    }
    assert.deepEqual(logged, [], 'no purge failed');
  });

  it('a correction on node A shows at the edge', async () => {
    await warm(pagePath());
    const text = 'An earlier version gave the wrong closing date.';
    await addNote(a.deps, story.id, { kind: 'correction', text }, editor);
    await edgeUntil(pagePath(), (r) => r.body.toString().includes(text), 'the correction');
    await settled();
    assert.ok((await edge(pagePath())).body.toString().includes(text));
  });

  it('an unpublish on node A answers 404 at the edge and leaves the front', async () => {
    await warm(pagePath());
    await warm('/');
    await runWorkflowAction(a.deps, story.id, { type: 'unpublish' }, editor);
    await edgeUntil(pagePath(), (r) => r.status === 404, 'the unpublished story');
    await edgeUntil('/', (r) => !r.body.toString().includes(story.slug), 'the front without the story');
    await settled();
    assert.equal((await edge(pagePath())).status, 404);
    assert.ok(!(await edge('/')).body.toString().includes(story.slug));
  });
});
