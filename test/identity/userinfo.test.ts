// OIDC Core §5.3: the userinfo endpoint answers the claims the granted scopes release, for the
// opaque access token of a sign-in (no resource); a JWT for an API, no token or a bad one is
// refused with an RFC 6750 challenge. ID token claims agree with userinfo.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorizationCodeFlow } from './code-flow.ts';
import { decodeJwt, ORDERS, PASSWORD, startTestIdentity, type TestIdentity } from './oidc-fixture.ts';

let identity: TestIdentity;
before(async () => {
  identity = await startTestIdentity();
});
after(async () => identity?.close());

async function userinfo(token: string | undefined): Promise<{ status: number; body: Record<string, unknown>; challenge: string | null }> {
  const response = await fetch(`${identity.url}/me`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, challenge: response.headers.get('www-authenticate') };
}

async function signIn(scope: string, resource?: string) {
  const tokens = await authorizationCodeFlow(identity.url, {
    clientId: 'web', clientSecret: 'web-secret-0123456789', scope, username: 'alice', password: PASSWORD, ...(resource ? { resource } : {}),
  });
  assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
  return tokens.body;
}

describe('userinfo', () => {
  it('releases the claims of the granted scopes: openid profile roles', async () => {
    const tokens = await signIn('openid profile roles');
    const { status, body } = await userinfo(String(tokens.access_token));
    assert.equal(status, 200);
    assert.equal(body.sub, identity.aliceId);
    assert.equal(body.preferred_username, 'alice');
    assert.deepEqual(body.roles, ['user']);
    assert.deepEqual(body.groups, ['staff']);
    assert.equal(decodeJwt(String(tokens.id_token)).payload.sub, body.sub, 'the ID token names the same subject');
  });

  it('releases only sub for openid alone', async () => {
    const tokens = await signIn('openid');
    const { status, body } = await userinfo(String(tokens.access_token));
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body), ['sub']);
  });

  it('refuses a missing token, a garbage token and an API access token with a Bearer challenge', async () => {
    const apiToken = String((await signIn('openid orders:read', ORDERS)).access_token);
    for (const token of [undefined, 'not-a-token', apiToken]) {
      const { status, challenge } = await userinfo(token);
      assert.ok(status === 400 || status === 401, `status ${status} for ${token === undefined ? 'no token' : token.slice(0, 12)}`);
      assert.match(challenge ?? '', /^Bearer /);
    }
  });
});
