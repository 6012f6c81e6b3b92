// An https upstream for the mTLS tests: serves a CA-issued certificate, requires a client
// certificate from the same CA, and answers with what it saw of the client (SPIFFE ID, serial).
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface SeenClient {
  subjectAltName: string;
  serial: string;
}

export interface MtlsUpstream {
  readonly url: string;
  readonly seen: SeenClient[];
  /** TLS connections accepted so far. */
  readonly handshakes: number;
  close(): Promise<void>;
}

export interface MtlsUpstreamOptions {
  key: string;
  cert: string;
  /** Roots client certificates must chain to. */
  ca: string;
  /** Close the connection after every response, so every request makes a new handshake. */
  closeEachConnection?: boolean;
  /** Default true: refuse a client without a certificate from `ca`. */
  requireClientCertificate?: boolean;
}

export async function startMtlsUpstream(options: MtlsUpstreamOptions): Promise<MtlsUpstream> {
  const seen: SeenClient[] = [];
  const requireClient = options.requireClientCertificate ?? true;
  const tlsOptions = { key: options.key, cert: options.cert, ca: options.ca, requestCert: requireClient, rejectUnauthorized: requireClient };
  const server = https.createServer(tlsOptions, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    const client = { subjectAltName: peer.subjectaltname ?? '', serial: peer.serialNumber?.toLowerCase() ?? '' };
    seen.push(client);
    const body = JSON.stringify(client);
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (options.closeEachConnection) headers.connection = 'close';
    res.writeHead(200, headers);
    res.end(body);
  });
  let handshakes = 0;
  server.on('secureConnection', () => handshakes++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    get handshakes() {
      return handshakes;
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
