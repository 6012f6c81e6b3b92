// fetch with a client-credentials token attached: `const callUsers = fetchWithToken(client,
// {audience: 'users'})` then `await callUsers('https://users.internal/v1/users/42')`. A 401 from
// the service is returned as it is — the token cache already renews before expiry.
import type { ClientCredentials, TokenRequest } from './client-credentials.ts';

export function fetchWithToken(client: ClientCredentials, request: TokenRequest = {}): typeof fetch {
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${await client.token(request)}`);
    return fetch(input, { ...init, headers });
  };
}
