// `npm start` as a user runs it: the demo as a subprocess on its fixed ports, then the README's
// curl walkthrough (as HTTP requests), then Ctrl-C. Skipped when a demo port is already taken.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { MAIN_SCRIPT } from '../cli/run-cli.ts';

const DEMO_PORTS = [8080, 9000, 9001, 9002, 9003, 9004, 9901];
const GATEWAY = 'http://127.0.0.1:8080';
const ISSUER = 'http://127.0.0.1:9000';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function takenPorts(): Promise<number[]> {
  const free = await Promise.all(DEMO_PORTS.map(portIsFree));
  return DEMO_PORTS.filter((_, index) => !free[index]);
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http rather than fetch: the cafe routes need a `Host` header fetch will not send. */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function startDemo(): { child: ChildProcessWithoutNullStreams; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [MAIN_SCRIPT, 'demo', '--log-level', 'warn'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const taken = await takenPorts();
const skip = taken.length > 0 ? `demo ports in use on this machine: ${taken.join(', ')}` : false;

describe('npm start (gatehouse demo)', { skip }, () => {
  const demo = startDemo();
  after(async () => {
    if (demo.child.exitCode === null) {
      demo.child.kill('SIGKILL');
      await demo.exited;
    }
  });

  let token = '';

  it('starts and prints the URLs and curl lines', async () => {
    await waitFor(() => demo.output().includes('Press Ctrl-C to stop'), 'the demo banner');
    const output = demo.output();
    for (const expected of [GATEWAY, ISSUER, 'http://127.0.0.1:9901', `curl -s -d username=alice -d password=demo ${ISSUER}/token | jq -r .access_token`, "-H 'Host: cafe.example.com'"]) {
      assert.ok(output.includes(expected), `banner mentions ${expected}`);
    }
  });

  it('issues a token for alice at POST /token (form)', async () => {
    const reply = await send(`${ISSUER}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=alice&password=demo',
    });
    assert.equal(reply.status, 200);
    const body = JSON.parse(reply.body);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 900);
    token = body.access_token;
  });

  it('refuses a wrong password', async () => {
    const reply = await send(`${ISSUER}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"alice","password":"nope"}' });
    assert.equal(reply.status, 401);
    assert.equal(JSON.parse(reply.body).error, 'invalid_grant');
  });

  it('Istio route: a valid bearer token → 200, the service sees the identity headers but not the token', async () => {
    const reply = await send(`${GATEWAY}/users`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(reply.status, 200, reply.body);
    const echoed = JSON.parse(reply.body);
    assert.equal(echoed.service, 'user');
    assert.equal(echoed.headers['x-user-id'], 'alice');
    assert.equal(echoed.headers['x-role'], 'admin');
    assert.ok(echoed.headers['x-request-id']);
    assert.equal(echoed.jwtPayload.sub, 'alice');
    assert.equal(echoed.jwtPayload.iss, ISSUER);
    assert.equal(echoed.authorizationForwarded, false);
  });

  it('Istio route: no token → 401 with the realm (seed 000 AuthorizationPolicy)', async () => {
    const reply = await send(`${GATEWAY}/orders`);
    assert.equal(reply.status, 401);
    assert.equal(reply.headers['www-authenticate'], 'Bearer realm="Gatehouse demo"');
    assert.equal(JSON.parse(reply.body).error, 'jwt_missing');
  });

  it('seed 000 roles: bob (role user) gets 403 on the admin-only /users/admin, alice 200, no token 401', async () => {
    const issued = await send(`${ISSUER}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=bob&password=demo',
    });
    const bob = JSON.parse(issued.body).access_token as string;
    const asUser = await send(`${GATEWAY}/users`, { headers: { authorization: `Bearer ${bob}` } });
    assert.equal(asUser.status, 200);
    const denied = await send(`${GATEWAY}/users/admin`, { headers: { authorization: `Bearer ${bob}` } });
    assert.equal(denied.status, 403);
    assert.deepEqual(JSON.parse(denied.body), { error: 'forbidden', message: 'RBAC: access denied' });
    const admin = await send(`${GATEWAY}/users/admin`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(admin.status, 200);
    assert.equal((await send(`${GATEWAY}/users/admin`)).status, 401);
  });

  it('Istio route: client-forged identity headers never reach the service', async () => {
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'mallory', role: 'admin' })).toString('base64url');
    const reply = await send(`${GATEWAY}/orders`, {
      headers: { authorization: `Bearer ${token}`, 'x-jwt-payload': forgedPayload, 'x-user-id': 'mallory', 'x-role': 'user' },
    });
    assert.equal(reply.status, 200, reply.body);
    const echoed = JSON.parse(reply.body);
    assert.equal(echoed.jwtPayload.sub, 'alice');
    assert.equal(echoed.headers['x-user-id'], 'alice');
    assert.equal(echoed.headers['x-role'], 'admin');
  });

  it('Istio route: a browser is sent to the login page and comes back signed in by the cookie', async () => {
    const redirect = await send(`${GATEWAY}/users`, { headers: { accept: 'text/html' } });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.location, `${ISSUER}/login?return_to=${encodeURIComponent(`${GATEWAY}/users`)}`);

    const login = await send(`${ISSUER}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'bob', password: 'demo', return_to: `${GATEWAY}/users` }).toString(),
    });
    assert.equal(login.status, 303);
    assert.equal(login.headers.location, `${GATEWAY}/users`);
    const setCookie = (login.headers['set-cookie'] as string[])[0];
    const back = await send(`${GATEWAY}/users`, { headers: { accept: 'text/html', cookie: `${setCookie.slice(0, setCookie.indexOf(';'))}; theme=dark` } });
    assert.equal(back.status, 200, back.body);
    const echoed = JSON.parse(back.body);
    assert.equal(echoed.headers['x-user-id'], 'bob');
    assert.equal(echoed.headers['x-role'], 'user');
    assert.deepEqual(echoed.cookieNames, ['theme'], 'the token cookie is removed before forwarding, other cookies stay');
  });

  it('Istio route: a forged signature → 401 with the realm and Envoy wording', async () => {
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.forged`;
    const reply = await send(`${GATEWAY}/orders`, { headers: { authorization: `Bearer ${forged}` } });
    assert.equal(reply.status, 401);
    assert.equal(
      reply.headers['www-authenticate'],
      'Bearer realm="Gatehouse demo", error="invalid_token", error_description="Jwt verification fails"',
    );
    assert.deepEqual(JSON.parse(reply.body), { error: 'jwt_verification_failed', message: 'Jwt verification fails' });
  });

  it('NGINX route: the token in the auth_token cookie → 200 from coffee', async () => {
    const reply = await send(`${GATEWAY}/coffee`, { headers: { host: 'cafe.example.com', cookie: `auth_token=${token}` } });
    assert.equal(reply.status, 200, reply.body);
    const echoed = JSON.parse(reply.body);
    assert.equal(echoed.service, 'coffee');
    assert.deepEqual(echoed.cookieNames, ['auth_token'], 'NGINX forwards the token, as NGINX does');
  });

  it('NGINX route: no cookie → 401 with realm "Cafe App"', async () => {
    const reply = await send(`${GATEWAY}/tea`, { headers: { host: 'cafe.example.com' } });
    assert.equal(reply.status, 401);
    assert.equal(reply.headers['www-authenticate'], 'Bearer realm="Cafe App"');
  });

  it('NGINX route: a browser without a token is redirected to the login page, and the login cookie lets it in', async () => {
    const redirect = await send(`${GATEWAY}/tea`, { headers: { host: 'cafe.example.com:8080', accept: 'text/html' } });
    assert.equal(redirect.status, 302);
    const location = new URL(redirect.headers.location as string);
    assert.equal(`${location.origin}${location.pathname}`, 'http://cafe.example.com:9000/login');
    const returnTo = location.searchParams.get('return_to');
    assert.equal(returnTo, 'http://cafe.example.com:8080/tea');

    // The browser would resolve cafe.example.com to 127.0.0.1 (docs/demo.md): ask the issuer directly.
    const page = await send(`${ISSUER}/login?return_to=${encodeURIComponent(returnTo!)}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<form method="post" action="\/login">/);
    assert.doesNotMatch(page.body, /<script/i);

    const login = await send(`${ISSUER}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'bob', password: 'demo', return_to: returnTo! }).toString(),
    });
    assert.equal(login.status, 303);
    assert.equal(login.headers.location, returnTo);
    const setCookie = (login.headers['set-cookie'] as string[])[0];
    assert.match(setCookie, /^auth_token=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; .*HttpOnly/);

    const cookie = setCookie.slice(0, setCookie.indexOf(';'));
    const back = await send(`${GATEWAY}/tea`, { headers: { host: 'cafe.example.com:8080', accept: 'text/html', cookie } });
    assert.equal(back.status, 200, back.body);
    assert.equal(JSON.parse(back.body).service, 'tea');
  });

  it('a real browser (Chromium) is sent to the login page, signs in and lands back on /users', { skip: existsSync('/usr/bin/chromium') ? false : 'Debian chromium is not installed (.ci/run installs it)' }, async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${GATEWAY}/users`);
      assert.match(page.url(), /^http:\/\/127\.0\.0\.1:9000\/login\?return_to=/, 'the gateway redirected to the login URL');
      assert.equal(await page.title(), 'Gatehouse demo login');
      await page.fill('#username', 'bob');
      await page.fill('#password', 'demo');
      await Promise.all([page.waitForURL(`${GATEWAY}/users`), page.click('button[type=submit]')]);
      const echoed = JSON.parse((await page.textContent('body')) ?? '{}');
      assert.equal(echoed.service, 'user');
      assert.equal(echoed.headers['x-user-id'], 'bob');
      assert.equal(echoed.headers['x-role'], 'user');
    } finally {
      await browser.close();
    }
  });

  it('serves metrics on the admin listener', async () => {
    const reply = await send('http://127.0.0.1:9901/metrics');
    assert.equal(reply.status, 200);
    assert.match(reply.body, /^gatehouse_requests_total/m);
  });

  it('Ctrl-C (SIGINT) stops everything and frees every port', async () => {
    demo.child.kill('SIGINT');
    assert.equal(await demo.exited, 0);
    assert.match(demo.output(), /demo stopped/);
    assert.deepEqual(await takenPorts(), []);
  });
});

describe('gatehouse demo with a port already taken', { skip }, () => {
  for (const port of [9000, 8080]) {
    it(`fails clearly when ${port} is in use, and leaves nothing running`, async () => {
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
      try {
        const demo = startDemo();
        const code = await demo.exited;
        assert.equal(code, 1);
        assert.match(demo.output(), new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use.*\\(ERR_PORT_IN_USE\\)`));
      } finally {
        await new Promise((resolve) => blocker.close(resolve));
      }
      assert.deepEqual(await takenPorts(), []);
    });
  }
});
