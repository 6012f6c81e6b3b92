// clientCredentials against a real token endpoint: one request per (audience, scope) however
// many callers, renewal before expiry without making callers wait, and clear failures.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { clientCredentials, ClientCredentialsError, fetchWithToken } from '../../packages/sdk/src/index.ts';

interface TokenRequestSeen {
  authorization?: string;
  form: URLSearchParams;
}

interface TokenEndpoint {
  url: string;
  seen: TokenRequestSeen[];
  /** Delay before answering, so concurrent callers overlap one request. */
  delayMs: number;
  expiresIn: number;
  refuse: boolean;
  close(): Promise<void>;
}

async function startTokenEndpoint(): Promise<TokenEndpoint> {
  const readBody = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text;
  };
  const state = { url: '', seen: [] as TokenRequestSeen[], delayMs: 0, expiresIn: 300, refuse: false } as TokenEndpoint;
  const server: Server = createServer(async (req, res) => {
    const form = new URLSearchParams(await readBody(req));
    state.seen.push({ authorization: req.headers.authorization, form });
    await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    if (state.refuse) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client' }));
      return;
    }
    const body = { access_token: `token-${state.seen.length}-${form.get('audience')}`, token_type: 'Bearer', expires_in: state.expiresIn };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`;
  state.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return state;
}

describe('clientCredentials', () => {
  let endpoint: TokenEndpoint;
  before(async () => {
    endpoint = await startTokenEndpoint();
  });
  after(() => endpoint.close());
  beforeEach(() => {
    endpoint.seen.length = 0;
    Object.assign(endpoint, { delayMs: 0, expiresIn: 300, refuse: false });
  });

  test('sends client_secret_basic and the grant, audience and scope as a form', async () => {
    const client = clientCredentials({ tokenUrl: endpoint.url, clientId: 'orders service', clientSecret: 's3cret:x', audience: 'users', scope: 'users:read' });
    assert.equal(await client.token(), 'token-1-users');
    const [seen] = endpoint.seen;
    // RFC 6749 §2.3.1: form-urlencode id and secret, then base64.
    assert.equal(seen.authorization, `Basic ${Buffer.from('orders+service:s3cret%3Ax').toString('base64')}`);
    assert.deepEqual(Object.fromEntries(seen.form), { grant_type: 'client_credentials', scope: 'users:read', audience: 'users' });
  });

  test('N concurrent callers → one token request (single flight); then served from cache', async () => {
    endpoint.delayMs = 50;
    const client = clientCredentials({ tokenUrl: endpoint.url, clientId: 'orders', clientSecret: 'secret' });
    const tokens = await Promise.all(Array.from({ length: 25 }, () => client.token({ audience: 'users' })));
    assert.equal(endpoint.seen.length, 1);
    assert.ok(tokens.every((token) => token === 'token-1-users'));
    assert.equal(await client.token({ audience: 'users' }), 'token-1-users');
    assert.equal(endpoint.seen.length, 1);
  });

  test('one token per audience', async () => {
    const client = clientCredentials({ tokenUrl: endpoint.url, clientId: 'orders', clientSecret: 'secret' });
    const [users, billing] = await Promise.all([client.token({ audience: 'users' }), client.token({ audience: 'billing' })]);
    assert.notEqual(users, billing);
    assert.equal(endpoint.seen.length, 2);
    assert.deepEqual(endpoint.seen.map((s) => s.form.get('audience')).sort(), ['billing', 'users']);
  });

  test('renews before expiry: the old token is served while one renewal runs, then the new one', async () => {
    let now = 1_000_000;
    endpoint.expiresIn = 100;
    const client = clientCredentials({ tokenUrl: endpoint.url, clientId: 'orders', clientSecret: 'secret', audience: 'users', refreshBeforeSeconds: 20, now: () => now });
    assert.equal(await client.token(), 'token-1-users');
    now += 79_000; // before the renewal window (80 s)
    assert.equal(await client.token(), 'token-1-users');
    assert.equal(endpoint.seen.length, 1);
    now += 2_000; // inside the window, still valid: no caller waits
    const during = await Promise.all([client.token(), client.token(), client.token()]);
    assert.deepEqual(during, ['token-1-users', 'token-1-users', 'token-1-users']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(endpoint.seen.length, 2, 'exactly one renewal');
    assert.equal(await client.token(), 'token-2-users');
  });

  test('an expired token is never served: the caller waits for a new one', async () => {
    let now = 5_000_000;
    endpoint.expiresIn = 10;
    const client = clientCredentials({ tokenUrl: endpoint.url, clientId: 'orders', clientSecret: 'secret', audience: 'users', now: () => now });
    await client.token();
    now += 10_000;
    assert.equal(await client.token(), 'token-2-users');
  });

  test('a refusing endpoint gives ClientCredentialsError with status and OAuth error, never the secret', async () => {
    endpoint.refuse = true;
    const client = clientCredentials({ tokenUrl: endpoint.url, clientId: 'orders', clientSecret: 'very-secret', audience: 'users' });
    await assert.rejects(client.token(), (error: unknown) => {
      assert.ok(error instanceof ClientCredentialsError);
      assert.equal(error.code, 'ERR_GATEHOUSE_TOKEN_ENDPOINT');
      assert.equal(error.status, 401);
      assert.equal(error.oauthError, 'invalid_client');
      assert.doesNotMatch(error.message, /very-secret/);
      return true;
    });
    // A failed request is not cached: the next call asks again.
    endpoint.refuse = false;
    assert.equal(await client.token(), 'token-2-users');
  });

  test('fetchWithToken attaches the bearer token to the call', async () => {
    const seen: (string | undefined)[] = [];
    const service = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.end('ok');
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    try {
      const callUsers = fetchWithToken(clientCredentials({ tokenUrl: endpoint.url, clientId: 'orders', clientSecret: 'secret' }), { audience: 'users' });
      const response = await callUsers(`http://127.0.0.1:${(service.address() as AddressInfo).port}/users/42`, { headers: { accept: 'text/plain' } });
      assert.equal(await response.text(), 'ok');
      assert.deepEqual(seen, ['Bearer token-1-users']);
    } finally {
      service.closeAllConnections();
      await new Promise((resolve) => service.close(resolve));
    }
  });
});
