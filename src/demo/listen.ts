// Binding the demo's servers: a taken port is the common failure when a previous demo is still
// running, so it becomes one clear error naming the port and who wanted it.
import type { Server } from 'node:http';

export class PortInUseError extends Error {
  readonly code = 'ERR_PORT_IN_USE';
  readonly port: number;

  constructor(what: string, host: string, port: number) {
    super(`${what} cannot listen on ${host}:${port}: the port is already in use (is another demo still running?)`);
    this.name = 'PortInUseError';
    this.port = port;
  }
}

/** Listens and resolves to the bound port; rejects with PortInUseError on EADDRINUSE. */
export function listen(server: Server, host: string, port: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(what, host, port) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Stops accepting and closes every connection: demo servers hold no work worth draining. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
