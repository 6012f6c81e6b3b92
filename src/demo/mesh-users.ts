// The demo's user service behind the mesh (seed 004, zero trust): it listens on mutual TLS only,
// takes callers whose certificate names an allowed SPIFFE ID (the gateway, the order service),
// and still checks a token on every request — the gateway's internal token for it, or a
// client-credentials token from the identity service with its own audience. A direct call that
// bypasses the gateway has neither a client certificate nor such a token, and is refused.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createRequestVerifier, peerSpiffeId, type RequestVerifier } from '../../packages/sdk/src/index.ts';
import { sendJson } from './http-io.ts';

export interface MeshUsersSettings {
  /** The identity service's discovery document: issuer of client-credentials tokens, and its JWKS. */
  readonly identity: () => Promise<{ issuer: string; jwks_uri: string }>;
  /** The audience of tokens meant for this service. */
  readonly audience: string;
  /** Verifies the gateway's internal token (x-gatehouse-token) when the gateway sends one. */
  readonly gateway?: { readonly jwksUrl: string; readonly issuer: string; readonly audience: string };
}

const DEMO_USERS = [
  { id: 'alice', name: 'Alice', roles: ['user'] },
  { id: 'bob', name: 'Bob', roles: ['admin'] },
];

function bearer(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

export function meshUsersHandler(settings: MeshUsersSettings): (req: IncomingMessage, res: ServerResponse) => void {
  const gatewayVerifier: RequestVerifier | undefined = settings.gateway && createRequestVerifier(settings.gateway);
  let identityKeys: ReturnType<typeof createRemoteJWKSet> | undefined;

  async function caller(req: IncomingMessage): Promise<{ via: string; subject: unknown } | undefined> {
    if (gatewayVerifier !== undefined && req.headers['x-gatehouse-token'] !== undefined) {
      const identity = await gatewayVerifier(req).catch(() => undefined);
      return identity && { via: 'gateway internal token', subject: identity.subject };
    }
    const token = bearer(req);
    if (token === undefined) return undefined;
    const identity = await settings.identity();
    identityKeys ??= createRemoteJWKSet(new URL(identity.jwks_uri));
    try {
      const { payload } = await jwtVerify(token, identityKeys, { issuer: identity.issuer, audience: settings.audience, algorithms: ['RS256', 'ES256', 'EdDSA'] });
      return { via: 'client-credentials token', subject: payload.client_id ?? payload.sub };
    } catch {
      return undefined;
    }
  }

  return (req, res) => {
    req.resume();
    void caller(req).then((verified) => {
      if (verified === undefined) {
        sendJson(res, 401, { error: 'ERR_GATEHOUSE_TOKEN_MISSING', message: 'no valid internal or client-credentials token for this service' }, { 'www-authenticate': 'Bearer' });
        return;
      }
      sendJson(res, 200, { service: 'user', peer: peerSpiffeId(req), via: verified.via, caller: verified.subject, users: DEMO_USERS });
    });
  };
}
