// How every middleware answers a refused request: the status of the error, RFC 6750 §3
// WWW-Authenticate for 401/403, and a JSON body with the stable code. One place, three adapters.
import { GatehouseAuthError } from './errors.ts';

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function errorResponse(error: unknown, realm = 'gatehouse'): ErrorResponse {
  const failure =
    error instanceof GatehouseAuthError ? error : new GatehouseAuthError('ERR_GATEHOUSE_TOKEN_INVALID', 'request verification failed', { cause: error });
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  const bearerError = failure.status === 403 ? 'insufficient_scope' : 'invalid_token';
  if (failure.status === 401 || failure.status === 403) {
    // RFC 6750 §3: quoted-string values; `scope` lists what the resource needs.
    const scope = failure.status === 403 && failure.required !== undefined ? `, scope="${failure.required.join(' ')}"` : '';
    headers['www-authenticate'] = `Bearer realm="${realm}", error="${bearerError}", error_description="${failure.message.replaceAll('"', "'")}"${scope}`;
  }
  const body = JSON.stringify({ error: failure.status === 503 ? 'temporarily_unavailable' : bearerError, code: failure.code, message: failure.message });
  return { status: failure.status, headers, body };
}
