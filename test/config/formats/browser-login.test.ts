// BrowserLogin documents → model.browserLogins, the problems a user sees, and the example of
// docs/sso.md loading as written.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { ConfigError } from '../../../src/config/config-error.ts';
import { describeModel } from '../../../src/config/describe-model.ts';
import { decodeKey } from '../../../src/config/formats/browser-login.ts';
import { BACKEND, GATEWAY, loadYaml } from '../support/temp-config.ts';

const ISSUER = 'http://127.0.0.1:9000';
const KEY = randomBytes(32).toString('base64');

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app}
spec:
  parentRefs: [{name: edge}]
  rules:
  - backendRefs: [{group: gatehouse.dev, kind: Backend, name: api}]
`;

function authentication(issuer = ISSUER, fromHeaders = ''): string {
  return `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt}
spec:
  jwtRules:
  - issuer: "${issuer}"
    jwksUri: "${issuer}/jwks"${fromHeaders}
`;
}

function login(spec: string): string {
  return `apiVersion: gatehouse.dev/v1alpha1
kind: BrowserLogin
metadata: {name: web}
spec:
  targetRefs: [{kind: HTTPRoute, name: app}]
  issuer: "${ISSUER}"
  clientId: gateway-web
  clientSecret: {value: s3cret}
  cookie:
    keys: [{value: "${KEY}"}]
${spec}`;
}

function problemsOf(t: TestContext, yaml: string): string {
  try {
    loadYaml(t, yaml);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems.map((problem) => `${problem.kind}/${problem.name} ${problem.path}: ${problem.message}`).join('\n');
  }
  assert.fail('the config loaded');
}

test('a BrowserLogin becomes a model login with its defaults', (t) => {
  const model = loadYaml(t, [GATEWAY, BACKEND, ROUTE, authentication(), login('')].join('---\n'));
  const [web] = model.browserLogins ?? [];
  assert.equal(web.name, 'web');
  assert.deepEqual(web.targets, [{ kind: 'HTTPRoute', name: 'app' }]);
  assert.equal(web.clientSecret, 's3cret');
  assert.deepEqual(web.scopes, ['openid', 'profile', 'email', 'offline_access']);
  assert.equal(web.callbackPath, '/_gatehouse/callback');
  assert.equal(web.logoutPath, '/_gatehouse/logout');
  assert.equal(web.postLogoutPath, '/');
  assert.equal(web.cookie.secure, 'auto');
  assert.equal(web.cookie.name, undefined);
  assert.deepEqual(web.cookie.keys, [Buffer.from(KEY, 'base64')]);
  assert.equal(web.sessionLifetimeSeconds, 8 * 3600);
  assert.equal(web.timeoutMs, 5000);
  const summary = describeModel(model);
  assert.match(summary, /Browser logins \(1\)\n  web  HTTPRoute\/app  issuer http:\/\/127\.0\.0\.1:9000  client gateway-web  scopes openid profile email offline_access  callback \/_gatehouse\/callback/);
  assert.doesNotMatch(summary, /s3cret/);
  assert.doesNotMatch(summary, new RegExp(KEY.replace(/[+/=]/g, '.')));
});

test('problems a BrowserLogin can have, each named at its field', (t) => {
  const base = [GATEWAY, BACKEND, ROUTE];
  const cases: { name: string; yaml: string; problem: RegExp }[] = [
    { name: 'no provider for the issuer', yaml: [...base, authentication('https://other.example'), login('')].join('---\n'), problem: /BrowserLogin\/web spec\.issuer: route app has no RequestAuthentication jwtRule for issuer "http:\/\/127\.0\.0\.1:9000"/ },
    { name: 'no RequestAuthentication at all', yaml: [...base, login('')].join('---\n'), problem: /spec\.issuer: route app has no RequestAuthentication/ },
    { name: 'the provider reads another header', yaml: [...base, authentication(ISSUER, '\n    fromHeaders: [{name: x-token}]'), login('')].join('---\n'), problem: /reading the Authorization header/ },
    { name: 'short key', yaml: [...base, authentication(), login('').replace(KEY, 'c2hvcnQ=')].join('---\n'), problem: /spec\.cookie\.keys\[0\]: must be 32 bytes/ },
    { name: 'no openid scope', yaml: [...base, authentication(), login('  scopes: [profile]\n')].join('---\n'), problem: /spec\.scopes: must include "openid"/ },
    { name: 'same paths', yaml: [...base, authentication(), login('  logoutPath: /_gatehouse/callback\n')].join('---\n'), problem: /spec\.logoutPath: must differ from callbackPath/ },
    { name: 'unset env secret', yaml: [...base, authentication(), login('').replace('{value: s3cret}', '{env: GATEHOUSE_TEST_UNSET_SECRET}')].join('---\n'), problem: /spec\.clientSecret\.env: environment variable GATEHOUSE_TEST_UNSET_SECRET is not set/ },
    { name: 'missing Secret', yaml: [...base, authentication(), login('').replace('{value: s3cret}', '{secretRef: {name: nope, key: k}}')].join('---\n'), problem: /spec\.clientSecret\.secretRef: references Secret "nope"/ },
    { name: 'unknown target', yaml: [...base, authentication(), login('').replace('name: app}', 'name: nope}')].join('---\n'), problem: /spec\.targetRefs\[0\]: references HTTPRoute "nope"/ },
    { name: 'resource not an audience', yaml: [...base, authentication(ISSUER, '\n    audiences: [https://orders.example]'), login('  resource: https://billing.example\n')].join('---\n'), problem: /spec\.resource: "https:\/\/billing\.example" is not among the audiences/ },
    { name: 'relative callback path', yaml: [...base, authentication(), login('  callbackPath: callback\n')].join('---\n'), problem: /callbackPath/ },
    { name: 'externalUrl with a path', yaml: [...base, authentication(), login('  externalUrl: https://app.example.com/shop\n')].join('---\n'), problem: /spec\.externalUrl: must be an origin such as "https:\/\/app\.example\.com" \(no path, query or fragment\)/ },
    { name: 'two secret forms', yaml: [...base, authentication(), login('').replace('{value: s3cret}', '{value: a, env: B}')].join('---\n'), problem: /clientSecret/ },
  ];
  for (const { name, yaml, problem } of cases) assert.match(problemsOf(t, yaml), problem, name);
});

test('externalUrl is kept as an origin; without it the login has none', (t) => {
  const model = loadYaml(t, [GATEWAY, BACKEND, ROUTE, authentication(), login('  externalUrl: https://App.Example.com/\n')].join('---\n'));
  assert.equal(model.browserLogins?.[0].externalUrl, 'https://app.example.com');
  assert.equal(loadYaml(t, [GATEWAY, BACKEND, ROUTE, authentication(), login('')].join('---\n')).browserLogins?.[0].externalUrl, undefined);
});

test('the secret never appears in a problem', (t) => {
  const text = problemsOf(t, [GATEWAY, BACKEND, ROUTE, authentication(), login('').replace(KEY, 'dG9vLXNob3J0LXNlY3JldC12YWx1ZQ==')].join('---\n'));
  assert.doesNotMatch(text, /dG9vLXNob3J0/);
});

test('cookie keys are 32 bytes in hex, base64 or base64url', () => {
  const bytes = randomBytes(32);
  for (const text of [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url'), ` ${bytes.toString('base64')}\n`]) {
    assert.deepEqual(decodeKey(text), bytes, text);
  }
  for (const text of ['', 'short', randomBytes(31).toString('base64'), randomBytes(33).toString('hex'), 'passphrase words are not keys at all!!!!!!!']) {
    assert.equal(decodeKey(text), undefined, text);
  }
});

test('the example of docs/sso.md loads', (t) => {
  const docs = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'sso.md'), 'utf8');
  const example = /```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
  assert.ok(example, 'docs/sso.md has a YAML example');
  t.after(() => {
    delete process.env.GATEHOUSE_COOKIE_KEY;
    delete process.env.GATEHOUSE_COOKIE_KEY_PREVIOUS;
  });
  process.env.GATEHOUSE_COOKIE_KEY = randomBytes(32).toString('base64');
  process.env.GATEHOUSE_COOKIE_KEY_PREVIOUS = randomBytes(32).toString('hex');
  const model = loadYaml(t, [GATEWAY, BACKEND, ROUTE, authentication(), example].join('---\n'));
  const [web] = model.browserLogins ?? [];
  assert.equal(web.clientSecret, 'gateway-web-secret-0123456789');
  assert.equal(web.cookie.keys.length, 2);
  assert.equal(web.resource, 'https://orders.gatehouse.test');
});
