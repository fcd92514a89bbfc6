import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createDeps } from '../../src/deps.ts';
import { createArticle } from '../../src/domain/articles/article-service.ts';
import type { ContentChange } from '../../src/domain/changes/content-change.ts';
import { createSection } from '../../src/domain/sections/section.ts';
import { buildArticleInput } from './factories.ts';

/*
 * One app node for the two-process fan-out test (src/fanout/change-fanout.test.ts): builds
 * deps and the app from the environment, listens on 127.0.0.1:0, starts the change bus and
 * reports every change it hears to the parent over IPC. The parent asks it to write a story.
 * Env: FANOUT_DATABASE_URL, FANOUT_REDIS_URL (optional), FANOUT_CHANNEL, FANOUT_NODE_ID.
 */

type Command = { type: 'write'; headline: string } | { type: 'stop' };

const env = process.env;
const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-fanout-media-'));
const config = loadConfig({
  MASTHEAD_DATABASE_URL: env.FANOUT_DATABASE_URL,
  ...(env.FANOUT_REDIS_URL ? { MASTHEAD_REDIS_URL: env.FANOUT_REDIS_URL } : {}),
  MASTHEAD_MEDIA_DIR: mediaDir,
  MASTHEAD_DEMO_CONTENT: 'false',
  LOG_LEVEL: 'silent',
});
const deps = await createDeps(config, { changeChannel: env.FANOUT_CHANNEL, nodeId: env.FANOUT_NODE_ID });
// The channel's loss and recovery are expected here; the parent asserts on what the node heard.
deps.logger = pino({ level: 'silent' });
const send = (message: object) => process.send!(message);
deps.changes.subscribe((change: ContentChange, origin) => {
  send({ type: 'change', change, origin });
});
const app = await buildApp(deps);
await app.listen({ port: 0, host: '127.0.0.1' });
await deps.changes.start();

process.on('message', (command: Command) => {
  void (async () => {
    if (command.type === 'stop') {
      await app.close();
      await deps.close();
      fs.rmSync(mediaDir, { recursive: true, force: true });
      process.exit(0);
    }
    const section = await createSection(deps.db, { name: `Fanout ${command.headline}` }, deps.clock());
    const article = await createArticle(deps, buildArticleInput({ sectionId: section.id, headline: command.headline }));
    send({ type: 'written', articleId: article.id, sectionId: section.id });
  })().catch((err: unknown) => send({ type: 'error', message: String(err) }));
});
send({ type: 'ready', port: (app.server.address() as AddressInfo).port });
