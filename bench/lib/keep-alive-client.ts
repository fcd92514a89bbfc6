/*
 * A minimal HTTP/1.1 client over one keep-alive socket, for load drivers that must time each
 * request themselves (per query kind, say) and so cannot hand the load to wrk. It only sends
 * GETs and reads `content-length` or chunked bodies: what Masthead's public pages answer with.
 * Node's `http` client costs the driver ~1 ms of CPU per ~25 KB response on this machine's
 * cores, which the server under test then loses; this one costs a fraction of that.
 */
import net from 'node:net';

export interface Response {
  status: number;
  body: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export class KeepAliveClient {
  private socket: net.Socket | undefined;
  private buffered: Buffer = Buffer.alloc(0);
  private pending: { resolve: (r: Response) => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly port: number,
    private readonly host = '127.0.0.1',
  ) {}

  /** One GET; requests on a client are sequential (await each before the next). */
  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    if (this.pending) return Promise.reject(new Error('KeepAliveClient: one request at a time'));
    const socket = this.connection();
    let head = `GET ${path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    return new Promise<Response>((resolve, reject) => {
      this.pending = { resolve, reject };
      socket.write(`${head}\r\n`);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connection(): net.Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = net.connect({ port: this.port, host: this.host, noDelay: true });
    this.buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.parse();
    });
    const fail = (err: Error) => {
      const pending = this.pending;
      this.pending = undefined;
      this.socket = undefined;
      pending?.reject(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed before the response ended')));
    this.socket = socket;
    return socket;
  }

  /** Completes the pending request once its whole response is buffered. */
  private parse(): void {
    if (!this.pending) return;
    const buf = this.buffered;
    const headerEnd = buf.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = buf.toString('latin1', 0, headerEnd);
    const status = Number(head.slice(9, 12));
    const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let start = headerEnd + HEADER_END.length;
    let body: Buffer;
    let end: number;
    if (lengthMatch) {
      end = start + Number(lengthMatch[1]);
      if (buf.length < end) return;
      body = buf.subarray(start, end);
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = buf.indexOf('\r\n', start);
        if (lineEnd < 0) return;
        const size = parseInt(buf.toString('latin1', start, lineEnd), 16);
        if (Number.isNaN(size)) return this.protocolError('bad chunk size');
        const dataStart = lineEnd + 2;
        if (buf.length < dataStart + size + 2) return;
        if (size === 0) {
          end = dataStart + 2;
          break;
        }
        parts.push(buf.subarray(dataStart, dataStart + size));
        start = dataStart + size + 2;
      }
      body = Buffer.concat(parts);
    } else if (status === 204 || status === 304) {
      end = start;
      body = Buffer.alloc(0);
    } else {
      return this.protocolError('response without content-length or chunked body');
    }
    this.buffered = buf.subarray(end);
    const pending = this.pending;
    this.pending = undefined;
    pending.resolve({ status, body });
  }

  private protocolError(message: string): void {
    const pending = this.pending;
    this.pending = undefined;
    this.close();
    pending?.reject(new Error(`KeepAliveClient: ${message}`));
  }
}
