/*
 * The baseline: a bare node:http server in its own process that answers every request with
 * the exact bytes of the seed article page (its headers too, unless told otherwise). No routing, no
 * database, no templating — the ceiling for this machine, Node version and load generator.
 * Same IPC protocol as masthead-server.ts (start/stop report CPU and RSS).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChildCommand, ChildReport } from './ipc.ts';

const [bodyFile, contentType, headersFile] = [process.argv[2]!, process.argv[3]!, process.argv[4]];
const body = fs.readFileSync(bodyFile);
// With a headers file: exactly the header lines Masthead sent for this page (the same bytes on
// the wire, headers included); without one, only the two a browser needs.
const headers: Record<string, string> = headersFile
  ? (JSON.parse(fs.readFileSync(headersFile, 'utf8')) as Record<string, string>)
  : { 'content-type': contentType, 'content-length': String(body.length) };

const server = http.createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.keepAliveTimeout = 72_000; // like Fastify's default

function send(msg: ChildReport): void {
  process.send!(msg);
}

let peakRss = 0;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 100).unref();
let cpuStart: NodeJS.CpuUsage | undefined;
let wallStart = 0;

process.on('message', (raw) => {
  const msg = raw as ChildCommand;
  if (msg.type === 'start') {
    peakRss = process.memoryUsage.rss();
    wallStart = performance.now();
    cpuStart = process.cpuUsage();
    send({ type: 'started' });
  } else if (msg.type === 'stop') {
    const cpu = process.cpuUsage(cpuStart);
    send({
      type: 'stopped',
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
      wallMs: performance.now() - wallStart,
      peakRssWindow: Math.max(peakRss, process.memoryUsage.rss()),
      maxRssLifetime: process.resourceUsage().maxRSS * 1024,
      heapUsed: process.memoryUsage().heapUsed,
    });
  } else if (msg.type === 'exit') {
    server.close();
    process.exit(0);
  }
});

server.listen(0, '127.0.0.1', () => {
  send({ type: 'ready', port: (server.address() as AddressInfo).port, pid: process.pid });
});
