// The verified client certificate's identity, as Istio's AuthorizationPolicy sees it: the SPIFFE
// ID's URI SAN without its scheme as `source.principal` (`cluster.local/ns/x/sa/y`) and the
// `/ns/<namespace>/` segment as `source.namespace`. Only a certificate the TLS layer verified
// (socket.authorized) counts. Computed once per connection, not per request.
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface PeerIdentity {
  /** `<trust domain>/<path>`, the SPIFFE ID without `spiffe://`. */
  readonly principal: string;
  readonly namespace?: string;
}

const SPIFFE_SCHEME = 'spiffe://';
const byConnection = new WeakMap<Socket, PeerIdentity | null>();

export function peerIdentityOf(socket: Socket): PeerIdentity | undefined {
  const known = byConnection.get(socket);
  if (known !== undefined) return known ?? undefined;
  const identity = readPeerIdentity(socket as Partial<TLSSocket>);
  byConnection.set(socket, identity ?? null);
  return identity;
}

function readPeerIdentity(socket: Partial<TLSSocket>): PeerIdentity | undefined {
  if (socket.authorized !== true || typeof socket.getPeerCertificate !== 'function') return undefined;
  const names = (socket.getPeerCertificate().subjectaltname ?? '').split(', ');
  // A SPIFFE X.509-SVID carries exactly one URI SAN (SPIFFE X509-SVID §2).
  const uri = names.find((name) => name.startsWith(`URI:${SPIFFE_SCHEME}`));
  if (uri === undefined) return undefined;
  const principal = uri.slice(`URI:${SPIFFE_SCHEME}`.length);
  const segments = principal.split('/');
  const nsIndex = segments.indexOf('ns');
  const namespace = nsIndex > 0 && nsIndex + 1 < segments.length ? segments[nsIndex + 1] : undefined;
  return { principal, namespace };
}
