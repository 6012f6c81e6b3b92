// A TCP proxy on 127.0.0.1 port 0 in front of a real server (Redis in these tests) that a test
// can switch off — open connections cut, new ones refused — and on again, to play an outage.
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SwitchableProxy {
  readonly port: number;
  up: boolean;
  /** Cuts every open connection and refuses new ones until `up` is set again. */
  cut(): void;
  close(): Promise<void>;
}

export async function startSwitchableProxy(targetPort: number): Promise<SwitchableProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const proxy: { up: boolean } = { up: true };
  const server = createServer((client) => {
    track(client);
    if (!proxy.up) return void client.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get up() {
      return proxy.up;
    },
    set up(value: boolean) {
      proxy.up = value;
    },
    cut() {
      proxy.up = false;
      for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
