// Malformed bodies against a real identity service: the account API, the admin API and the
// interaction form posts each get bad JSON, a huge body, a wrong content type, missing and
// repeated fields and bytes that are not UTF-8. Every answer is a 4xx with a JSON error (APIs)
// or the HTML error page (interactions), never a stack trace, and the service keeps serving.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CookieClient } from './interactions/cookie-client.ts';
import { ADMIN_TOKEN, PASSWORD, REDIRECT_URI, startTestIdentity, type TestIdentity } from './oidc-fixture.ts';

let identity: TestIdentity;
before(async () => {
  identity = await startTestIdentity();
});
after(() => identity.close());

const ALICE = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;
const ADMIN = `Bearer ${ADMIN_TOKEN}`;
const NOT_UTF8 = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
const HUGE = `{"name":"${'x'.repeat(2 * 1024 * 1024)}"}`;
// What a leaked stack trace or internal error looks like.
const LEAK = /\bat [^\s]+ \(|node:internal|\/work\/|\.ts:\d+|TypeError|SyntaxError|RangeError/;

interface Body {
  readonly name: string;
  readonly contentType?: string;
  readonly body: string | Buffer;
}

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const API_BODIES: Body[] = [
  { name: 'bad JSON', contentType: JSON_TYPE, body: '{"name":' },
  { name: 'a JSON array', contentType: JSON_TYPE, body: '["name"]' },
  { name: 'a JSON null', contentType: JSON_TYPE, body: 'null' },
  { name: 'a huge body', contentType: JSON_TYPE, body: HUGE },
  { name: 'a wrong content type', contentType: 'text/plain', body: '{"name":"x"}' },
  { name: 'no content type', body: '{"name":"x"}' },
  { name: 'missing fields', contentType: JSON_TYPE, body: '{}' },
  { name: 'fields of the wrong type', contentType: JSON_TYPE, body: '{"name":{"a":1},"username":[1],"password":7,"clientId":true,"scopes":[1,2],"grantTypes":{}}' },
  { name: 'repeated form fields', contentType: FORM_TYPE, body: 'name=a&name=b&username=a&username=b&password=p&password=q&clientId=a&clientId=b&scopes=openid' },
  { name: 'bytes that are not UTF-8', contentType: JSON_TYPE, body: NOT_UTF8 },
];

async function send(path: string, init: { method?: string; authorization?: string; cookie?: string; body: Body }): Promise<Response> {
  const headers: Record<string, string> = {};
  if (init.authorization) headers.authorization = init.authorization;
  if (init.cookie) headers.cookie = init.cookie;
  if (init.body.contentType) headers['content-type'] = init.body.contentType;
  // Node's fetch adds text/plain for a string body without a type; a Uint8Array goes untyped.
  const payload = typeof init.body.body === 'string' && init.body.contentType === undefined ? new TextEncoder().encode(init.body.body) : init.body.body;
  return fetch(`${identity.url}${path}`, { method: init.method ?? 'POST', headers, body: payload, redirect: 'manual' });
}

async function assertJsonRefusal(response: Response, label: string): Promise<void> {
  const text = await response.text();
  assert.ok(response.status >= 400 && response.status < 500, `${label}: ${response.status} ${text.slice(0, 200)}`);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/, label);
  const body = JSON.parse(text) as { error?: unknown };
  assert.equal(typeof body.error, 'string', `${label}: ${text}`);
  assert.doesNotMatch(text, LEAK, label);
}

async function assertServing(): Promise<void> {
  assert.equal((await fetch(`${identity.url}/healthz`)).status, 200);
  assert.equal((await fetch(`${identity.url}/api/tokens`, { headers: { authorization: ALICE } })).status, 200);
}

describe('account API and admin API with malformed bodies', () => {
  const endpoints = [
    { path: '/api/tokens', authorization: ALICE },
    { path: '/admin/users', authorization: ADMIN },
    { path: '/admin/clients', authorization: ADMIN },
    { path: '/admin/users/alice/password', authorization: ADMIN },
    // Refused before the body is read: the body must not change that.
    { path: '/api/tokens', authorization: 'Basic !!!' },
    { path: '/admin/users', authorization: 'Bearer wrong-admin-token' },
  ];
  for (const endpoint of endpoints) {
    it(`${endpoint.path} (${endpoint.authorization.split(' ')[0]}${endpoint.authorization.length < 20 ? ', bad credentials' : ''})`, async () => {
      for (const body of API_BODIES) {
        const response = await send(endpoint.path, { authorization: endpoint.authorization, body });
        await assertJsonRefusal(response, `${endpoint.path} with ${body.name}`);
      }
      await assertServing();
    });
  }

  it('refuses repeated form fields by name, and bytes that are not UTF-8', async () => {
    const repeated = await send('/api/tokens', { authorization: ALICE, body: { name: 'repeated', contentType: FORM_TYPE, body: 'name=a&name=b' } });
    assert.equal(repeated.status, 400);
    assert.deepEqual(await repeated.json(), { error: 'invalid_request', error_description: 'name is given more than once' });
    const encoding = await send('/api/tokens', { authorization: ALICE, body: { name: 'not UTF-8', contentType: JSON_TYPE, body: NOT_UTF8 } });
    assert.equal(encoding.status, 400);
    assert.equal(((await encoding.json()) as { error: string }).error, 'invalid_encoding');
    assert.equal((await identity.service.store.apiTokens.list()).length, 0, 'no token was created by any malformed request');
  });

  it('answers a malformed path of the admin API with a JSON 400', async () => {
    const response = await fetch(`${identity.url}/admin/users/%E0%A4%A/disable`, { method: 'POST', headers: { authorization: ADMIN } });
    assert.equal(response.status, 400);
    await assertJsonRefusal(response, 'malformed percent-encoding');
  });
});

describe('interaction form posts with malformed bodies', () => {
  /** A browser sitting on the login page of a real authorization request: its cookies, uid and CSRF token. */
  async function atLogin(): Promise<{ cookie: string; uid: string; csrf: string }> {
    const browser = new CookieClient(identity.url);
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: 'web',
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const start = await browser.request(`/auth?${query}`);
    const uid = /\/interaction\/([^/?]+)$/.exec(start.location ?? '')?.[1];
    assert.ok(uid, `redirected to the login page, got ${start.status} ${start.location}`);
    const page = await browser.request(start.location!);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(csrf, 'the login page has a CSRF field');
    return { cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '), uid, csrf };
  }

  it('answers each with a 4xx HTML error page and keeps serving', async () => {
    const { cookie, uid, csrf } = await atLogin();
    const bodies: Body[] = [
      { name: 'a huge form', contentType: FORM_TYPE, body: `csrf=${csrf}&username=${'a'.repeat(2 * 1024 * 1024)}` },
      { name: 'a JSON body', contentType: JSON_TYPE, body: JSON.stringify({ csrf, username: 'alice', password: PASSWORD }) },
      { name: 'no content type', body: `csrf=${csrf}&username=alice` },
      { name: 'no CSRF field', contentType: FORM_TYPE, body: 'username=alice&password=x' },
      { name: 'a repeated CSRF field', contentType: FORM_TYPE, body: `csrf=${csrf}&csrf=other&username=alice&password=${PASSWORD}` },
      { name: 'a repeated username', contentType: FORM_TYPE, body: `csrf=${csrf}&username=alice&username=bob&password=${PASSWORD}` },
      { name: 'bytes that are not UTF-8', contentType: FORM_TYPE, body: Buffer.concat([Buffer.from(`csrf=${csrf}&username=`), Buffer.from([0xff, 0xfe]), Buffer.from('&password=x')]) },
    ];
    for (const action of ['login', 'consent', 'abort']) {
      for (const body of bodies) {
        const response = await send(`/interaction/${uid}/${action}`, { cookie, body });
        const text = await response.text();
        const label = `${action} with ${body.name}`;
        assert.ok(response.status >= 400 && response.status < 500, `${label}: ${response.status} ${text.slice(0, 200)}`);
        assert.match(response.headers.get('content-type') ?? '', /^text\/html/, label);
        assert.match(text, /<html/i, label);
        assert.doesNotMatch(text, LEAK, label);
      }
    }
    await assertServing();
    // The interaction itself is intact: the real form still signs alice in.
    const login = await send(`/interaction/${uid}/login`, { cookie, body: { name: 'valid', contentType: FORM_TYPE, body: new URLSearchParams({ csrf, username: 'alice', password: PASSWORD }).toString() } });
    assert.equal(login.status, 303, await login.text());
  });
});
