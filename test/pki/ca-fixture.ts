// Test helpers for the PKI tests: a throwaway directory CA, openssl as an independent verifier,
// and a real mutual-TLS handshake on 127.0.0.1.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { initCertificateAuthority } from '../../src/pki/create-ca.ts';
import { DirectoryCaStore } from '../../src/pki/directory-store.ts';
import { peerChainFromSocket } from '../../src/pki/peer-trust.ts';
import { issueCertificate, type IssueRequest, type IssuedCertificate } from '../../src/pki/issue-certificate.ts';

export const PASSPHRASE = 'test passphrase, not a secret';

export interface TestCa {
  readonly dir: string;
  readonly store: DirectoryCaStore;
  readonly trustDomain: string;
  issue(request: Partial<IssueRequest> & { name: string }): Promise<IssuedCertificate>;
  /** Writes a file in the CA's temporary directory and returns its path. */
  file(name: string, content: string): Promise<string>;
  close(): Promise<void>;
}

export async function createTestCa(trustDomain = 'example.org', now?: Date): Promise<TestCa> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-pki-'));
  const caDir = join(dir, 'ca');
  const store = new DirectoryCaStore(caDir);
  await mkdir(caDir);
  await initCertificateAuthority(store, { trustDomain, passphrase: PASSPHRASE, now });
  return {
    dir: caDir,
    store,
    trustDomain,
    issue: ({ name, ...request }) =>
      issueCertificate(store, PASSPHRASE, {
        spiffeId: `spiffe://${trustDomain}/ns/test/sa/${name}`,
        dnsNames: ['localhost'],
        ...request,
      }),
    file: async (name, content) => {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface OpensslResult {
  readonly ok: boolean;
  readonly output: string;
}

export function openssl(args: string[]): Promise<OpensslResult> {
  return new Promise((resolve) => {
    execFile('openssl', args, (error, stdout, stderr) => resolve({ ok: !error, output: `${stdout}${stderr}` }));
  });
}

export interface TlsPeer {
  readonly key: string;
  readonly cert: string;
  readonly ca: string;
  readonly crl?: string[];
}

export interface HandshakeResult {
  /** The server accepted the client and the client accepted the server. */
  readonly ok: boolean;
  readonly clientError?: string;
  readonly serverError?: string;
  /** The chain the client presented, as the server saw it (leaf first, DER). */
  readonly clientChain?: Buffer[];
}

/**
 * One mTLS handshake: the server requires a client certificate and hangs up on one that does not
 * verify (reporting why, as authorizationError); the client checks the server's name "localhost".
 */
export async function mtlsHandshake(server: TlsPeer, client: TlsPeer): Promise<HandshakeResult> {
  const tlsServer = tls.createServer({ ...server, requestCert: true, rejectUnauthorized: false });
  let serverError: string | undefined;
  let serverSocket: tls.TLSSocket | undefined;
  let clientChain: Buffer[] | undefined;
  const accepted = new Promise<void>((resolve) => {
    tlsServer.on('secureConnection', (socket) => {
      serverSocket = socket;
      if (socket.authorized) {
        clientChain = peerChainFromSocket(socket);
        socket.end('hello');
      } else {
        serverError = String(socket.authorizationError);
        socket.destroy();
      }
      resolve();
    });
    tlsServer.on('tlsClientError', (error: NodeJS.ErrnoException) => {
      serverError = error.code ?? error.message;
      resolve();
    });
  });
  tlsServer.listen(0, '127.0.0.1');
  await once(tlsServer, 'listening');
  const { port } = tlsServer.address() as AddressInfo;
  const socket = tls.connect({ ...client, host: '127.0.0.1', port, servername: 'localhost' });
  let clientError: string | undefined;
  let received = '';
  const clientDone = new Promise<void>((resolve) => {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clientError ??= error.code ?? error.message;
      resolve();
    });
    socket.on('close', () => resolve());
  });
  await Promise.all([accepted, clientDone]);
  socket.destroy();
  serverSocket?.destroy();
  tlsServer.close();
  await once(tlsServer, 'close');
  return { ok: received === 'hello' && !clientError && !serverError, clientError, serverError, clientChain };
}
