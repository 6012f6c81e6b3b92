// An HTTPS server for a service that accepts only mutual-TLS callers: clients must present a
// certificate chaining to the trust bundle, unexpired and not on the CRL (checked by OpenSSL
// during the handshake, so a refused client never reaches the handler), optionally with an
// allowed SPIFFE ID (else 403). Renewed certificates, a rotated bundle and fresh CRLs apply to
// new handshakes without a restart; `peerSpiffeId(req)` tells the handler who called.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { tlsContextOptions } from './tls-agents.ts';
import { spiffeIdsOf, type WorkloadIdentity } from './workload-material.ts';

export interface MtlsServerOptions {
  /** Await `identity.ready` first. */
  identity: WorkloadIdentity;
  /** Who may call: exact SPIFFE IDs, or a predicate. Default: any certificate the bundle vouches for. */
  allowedSpiffeIds?: readonly string[] | ((spiffeId: string) => boolean);
}

/** The caller's SPIFFE ID from its verified client certificate; undefined on other connections. */
export function peerSpiffeId(req: Pick<IncomingMessage, 'socket'>): string | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (socket.encrypted !== true || socket.authorized !== true) return undefined;
  return spiffeIdsOf(socket.getPeerCertificate?.().subjectaltname)[0];
}

export function createMtlsServer(options: MtlsServerOptions, handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  const allowed = options.allowedSpiffeIds;
  const isAllowed = allowed === undefined ? () => true : typeof allowed === 'function' ? allowed : (id: string) => allowed.includes(id);
  const server = createServer(
    { ...tlsContextOptions(options.identity.current()), requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const caller = peerSpiffeId(req);
      if (caller === undefined || !isAllowed(caller)) {
        const body = `${JSON.stringify({ error: 'ERR_GATEHOUSE_PEER_NOT_ALLOWED', message: 'this caller may not use this service' })}\n`;
        res.writeHead(403, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      handler(req, res);
    },
  );
  const unsubscribe = options.identity.onChange((material) => server.setSecureContext(tlsContextOptions(material)));
  server.on('close', unsubscribe);
  return server;
}
