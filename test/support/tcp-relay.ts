import net from 'node:net';

/**
 * A TCP relay on loopback in front of a real server (PostgreSQL, an S3-compatible server) that a
 * test can close — open connections cut, new ones refused, as when the server goes away — and
 * reopen on the same port, as when it comes back.
 */
export interface TcpRelay {
  port: number;
  close(): Promise<void>;
  reopen(): Promise<void>;
}

export async function openTcpRelay(targetHost: string, targetPort: number): Promise<TcpRelay> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(targetPort, targetHost);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => {});
          socket.on('close', () => sockets.delete(socket));
        }
        client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port));
      server = s;
    });
  const port = await listen(0);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        if (!server?.listening) return resolve();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
    reopen: async () => void (await listen(port)),
  };
}
