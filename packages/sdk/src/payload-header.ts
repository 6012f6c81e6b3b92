// The gateway can forward the verified token's payload as a header (`outputPayloadToHeader`,
// base64url JSON). Anyone who can reach the service directly can write such a header, so it is
// only read on connections the service trusts — by default a TLS connection whose client
// certificate the server verified (mTLS from the gateway), never on plain HTTP.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { GatehouseAuthError } from './errors.ts';
import { identityFromPayload, type GatehouseIdentity } from './identity.ts';

export interface TrustPayloadHeaderOptions {
  /** Header name (default x-jwt-payload, as in the Gatehouse examples). */
  header?: string;
  /** Whether this connection comes from the gateway (default: a verified TLS client certificate). */
  when?: (req: { headers: IncomingMessage['headers']; socket?: IncomingMessage['socket'] | TLSSocket }) => boolean;
}

const DEFAULT_PAYLOAD_HEADER = 'x-jwt-payload';

function overVerifiedMutualTls(req: { socket?: IncomingMessage['socket'] | TLSSocket }): boolean {
  return (req.socket as TLSSocket | undefined)?.authorized === true;
}

export function identityFromTrustedPayload(
  req: { headers: IncomingMessage['headers']; socket?: IncomingMessage['socket'] | TLSSocket },
  options: TrustPayloadHeaderOptions,
): GatehouseIdentity {
  const name = (options.header ?? DEFAULT_PAYLOAD_HEADER).toLowerCase();
  const value = req.headers[name];
  if (typeof value !== 'string' || value === '') {
    throw new GatehouseAuthError('ERR_GATEHOUSE_TOKEN_MISSING', 'neither an internal token nor a payload header is present');
  }
  if (!(options.when ?? overVerifiedMutualTls)(req)) {
    throw new GatehouseAuthError('ERR_GATEHOUSE_PAYLOAD_UNTRUSTED', `${name} is only accepted on a connection trusted to come from the gateway`);
  }
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch (error) {
    throw new GatehouseAuthError('ERR_GATEHOUSE_TOKEN_INVALID', `${name} is not base64url-encoded JSON`, { cause: error });
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new GatehouseAuthError('ERR_GATEHOUSE_TOKEN_INVALID', `${name} is not a JSON object`);
  }
  return identityFromPayload(claims as Record<string, unknown>);
}
