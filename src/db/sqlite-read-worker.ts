import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/*
 * better-sqlite3 runs a query on the thread that asks it, so a heavy read (a full-text search
 * ranking its candidates) holds the event loop for its whole run: every other request of the
 * process waits, and the process uses one core of the machine. A read-only connection on a
 * worker thread runs such reads beside the event loop instead (WAL gives it committed
 * snapshots, as it does the in-process reader). Only reads that cost far more than the
 * message round trip (~40 µs) belong here; small indexed reads stay on the direct reader.
 */

/** Statements the worker keeps prepared (the heavy reads are a few fixed shapes). */
const STATEMENTS_KEPT = 200;

/** What the worker runs: CommonJS source, so it needs no build step and no loader. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const statements = new Map();
parentPort.on('message', ({ id, sql, parameters }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= ${STATEMENTS_KEPT}) statements.delete(statements.keys().next().value);
      statements.set(sql, (statement = db.prepare(sql)));
    }
    parentPort.postMessage({ id, rows: statement.all(parameters) });
  } catch (err) {
    parentPort.postMessage({ id, error: { message: String(err && err.message), code: err && err.code } });
  }
});
`;

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

interface Pending {
  resolve: (rows: unknown[]) => void;
  reject: (err: Error) => void;
}

type Reply = { id: number; rows: unknown[]; error?: undefined } | { id: number; error: { message: string; code?: string } };

/** A read-only connection to a SQLite file on a thread of its own, started at first use. */
export class SqliteReadWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  /** `unavailable` makes the error a read fails with when the connection is gone (a 503). */
  constructor(
    private readonly file: string,
    private readonly unavailable: (message: string, cause?: unknown) => Error,
  ) {}

  /** The rows of a read-only statement, run on the worker's connection. */
  all(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(this.unavailable('The SQLite database connection is closed.'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // The worker keeps the process alive only while it owes an answer.
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, sql, parameters });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.fail(this.unavailable('The SQLite database connection is closed.'));
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: this.file, driver: DRIVER } });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (!this.pending.size) worker.unref();
      if (reply.error) waiting.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else waiting.resolve(reply.rows);
    });
    // A worker that dies (the file could not be opened, out of memory) fails what it owed; the
    // next read starts another.
    const lost = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.fail(this.unavailable(`The SQLite read worker stopped: ${err.message}`, err));
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`exit code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private fail(err: Error): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiting) w.reject(err);
  }
}
