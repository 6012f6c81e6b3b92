// `npm start` as a user runs it: the demo as a subprocess on its fixed ports (the real identity
// service on :9000), then the banner's curl lines run in bash as printed, a few requests the
// lines do not show, a real browser through the gateway's SSO, then Ctrl-C. Skipped when a demo
// port is already taken (a demo already running), so it never clashes with one.
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { LAUNCHER } from '../cli/run-cli.ts';

const DEMO_PORTS = [8080, 9000, 9001, 9002, 9003, 9004, 9005, 9901];
const GATEWAY = 'http://127.0.0.1:8080';
const ISSUER = 'http://127.0.0.1:9000';
const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const USERS_AUDIENCE = 'https://users.demo.gatehouse.dev';
const ORDERS_AUDIENCE = 'https://orders.demo.gatehouse.dev';

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
  const child = spawn(process.execPath, [LAUNCHER, 'demo', '--log-level', 'warn'], { stdio: ['pipe', 'pipe', 'pipe'] });
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

/** The banner's lines need curl and jq, as the banner says. */
const shellTools = spawnSync('sh', ['-c', 'command -v curl && command -v jq'], { stdio: 'ignore' }).status === 0;

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

  it('starts and prints the URLs, the demo-only credentials and the curl lines', async () => {
    await waitFor(() => demo.output().includes('Press Ctrl-C to stop'), 'the demo banner');
    const output = demo.output();
    for (const expected of [
      GATEWAY, ISSUER, 'http://127.0.0.1:9901', `${GATEWAY}/users`, 'SQLite store: data/demo/identity.db',
      'alice / alice-password (role user)', 'bob / bob-password (role admin)', 'demo-m2m / demo-m2m-secret',
      "-H 'Host: cafe.example.com'",
    ]) {
      assert.ok(output.includes(expected), `banner mentions ${expected}`);
    }
  });

  it("runs the banner's curl lines in bash, as printed, with the outcomes their comments promise", { skip: shellTools ? false : 'curl or jq is not installed' }, async () => {
    const commands = bannerCommands(demo.output());
    assert.equal(commands.length, 15, commands.join('\n'));
    const results = await runInBash(commands);
    const of = (fragment: string) => {
      const found = results.find((result) => result.command.includes(fragment));
      assert.ok(found, `a banner line contains ${fragment}`);
      return found;
    };
    const json = (fragment: string) => JSON.parse(of(fragment).output) as { service: string; path: string; headers: Record<string, string>; jwtPayload: Record<string, unknown>; cookieNames: string[] };

    // 1. client credentials, decoded, then through the gateway to the order service
    const decoded = JSON.parse(of('token decode "$M2M"').output) as { header: { typ: string }; payload: Record<string, unknown> };
    assert.equal(decoded.header.typ, 'at+jwt');
    assert.deepEqual([decoded.payload.iss, decoded.payload.aud, decoded.payload.client_id, decoded.payload.scope], [ISSUER, ORDERS_AUDIENCE, 'demo-m2m', 'orders:read']);
    const orders = JSON.parse(of('Bearer $M2M" http://127.0.0.1:8080/orders').output) as {
      service: string; headers: Record<string, string>; userService: { status: number; body: { peer: string; via: string; caller: string } };
    };
    assert.equal(orders.service, 'order');
    assert.equal(orders.headers['x-client-id'], 'demo-m2m');
    // ...which called the user service over mTLS with its own client-credentials token
    assert.deepEqual(
      [orders.userService.status, orders.userService.body.peer, orders.userService.body.via, orders.userService.body.caller],
      [200, 'spiffe://demo.gatehouse.dev/ns/demo/sa/orders', 'client-credentials token', 'demo-m2m'],
    );
    // ...and that user service takes no call that comes without a certificate of the demo CA
    assert.match(of('https://127.0.0.1:9005/users').output, /^refused \(curl exit \d+\)$/);

    // 2. alice's API token, exchanged at the gateway: the service sees a JWT for its own audience
    const users = json('Bearer $ALICE" http://127.0.0.1:8080/users');
    assert.equal(users.service, 'user');
    assert.equal(users.headers['x-user-name'], 'alice');
    assert.equal(users.headers['x-roles'], '["user"]');
    assert.equal(users.jwtPayload.aud, USERS_AUDIENCE);
    assert.match(String(users.jwtPayload.client_id), /^api-token:/);

    // 3. 401 without a token, 401 forged, 403 alice on the admin-only path, 200 bob, and --explain
    assert.match(of('curl -si http://127.0.0.1:8080/orders').output, /^HTTP\/1\.1 401[^]*www-authenticate: Bearer realm="Gatehouse demo"\r?\n/im);
    assert.match(of('.forged').output, /^HTTP\/1\.1 401[^]*error="invalid_token"/m);
    assert.match(of('Bearer $ALICE" http://127.0.0.1:8080/users/admin').output, /^HTTP\/1\.1 403[^]*RBAC: access denied/m);
    const bob = json('Bearer $BOB"');
    assert.equal(bob.path, '/users/admin');
    assert.deepEqual([bob.service, bob.headers['x-user-name'], bob.headers['x-roles']], ['user', 'bob', '["admin"]']);
    const explain = of('--explain');
    assert.equal(explain.status, 3);
    assert.match(explain.output, /status:\s+403 rbac_denied/);

    // 4. the NGINX cafe: an identity-service token in the auth_token cookie, and none
    const coffee = json('auth_token=$M2M');
    assert.equal(coffee.service, 'coffee');
    assert.deepEqual(coffee.cookieNames, ['auth_token']);
    assert.match(of("-H 'Host: cafe.example.com' http://127.0.0.1:8080/tea").output, /^HTTP\/1\.1 401[^]*Bearer realm="Cafe App"/m);

    // 5. metrics, the token exchanges among them
    assert.match(of('/metrics').output, /^gatehouse_token_exchanges_total\{exchange="users-api-tokens",outcome="exchanged"\} \d+$/m);
    for (const result of results.filter((entry) => !entry.command.includes('--explain'))) assert.equal(result.status, 0, result.command);
  });

  it('the identity service refuses a wrong password, the same way for an unknown user', async () => {
    for (const credentials of ['alice:wrong-password', 'nobody:wrong-password']) {
      const reply = await send(`${ISSUER}/api/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(credentials).toString('base64')}` },
        body: 'name=never&scopes=users:read',
      });
      assert.equal(reply.status, 401);
      assert.equal(JSON.parse(reply.body).error, 'invalid_credentials');
    }
  });

  it('client-forged identity headers never reach the service', async () => {
    const token = await clientCredentialsToken(USERS_AUDIENCE, 'users:read');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'mallory', roles: ['admin'] })).toString('base64url');
    const reply = await send(`${GATEWAY}/users`, {
      headers: { authorization: `Bearer ${token}`, 'x-jwt-payload': forgedPayload, 'x-user-id': 'mallory', 'x-roles': '["admin"]' },
    });
    assert.equal(reply.status, 200, reply.body);
    const echoed = JSON.parse(reply.body);
    assert.equal(echoed.jwtPayload.sub, 'demo-m2m');
    assert.equal(echoed.headers['x-user-id'], 'demo-m2m');
    assert.equal(echoed.headers['x-roles'], undefined);
  });

  it('a token for the order service is refused on the user service (one audience per API)', async () => {
    const token = await clientCredentialsToken(ORDERS_AUDIENCE, 'orders:read');
    const reply = await send(`${GATEWAY}/users`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(reply.status, 401);
  });

  it('a browser navigation is sent to the identity service (PKCE, resource); an API call gets 401', async () => {
    const redirect = await send(`${GATEWAY}/users`, { headers: { accept: 'text/html' } });
    assert.equal(redirect.status, 302);
    const location = new URL(redirect.headers.location as string);
    assert.equal(`${location.origin}${location.pathname}`, `${ISSUER}/auth`);
    assert.equal(location.searchParams.get('client_id'), 'gateway-web');
    assert.equal(location.searchParams.get('redirect_uri'), `${GATEWAY}/_gatehouse/callback`);
    assert.equal(location.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(location.searchParams.get('resource'), USERS_AUDIENCE);
    const api = await send(`${GATEWAY}/users`, { headers: { accept: 'application/json' } });
    assert.equal(api.status, 401);
  });

  it('a real browser (Chromium) is sent to the identity login page, signs in and lands back on /users', { skip: existsSync('/usr/bin/chromium') ? false : 'Debian chromium is not installed (.ci/run installs it)' }, async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${GATEWAY}/users`);
      assert.match(page.url(), /^http:\/\/127\.0\.0\.1:9000\/interaction\//, `the gateway sent the browser to the identity login, not ${page.url()}`);
      await page.fill('#username', 'bob');
      await page.fill('#password', 'bob-password');
      await Promise.all([page.waitForURL(`${GATEWAY}/users`), page.click('button[type=submit].primary')]);
      const echoed = JSON.parse((await page.textContent('body')) ?? '{}');
      assert.equal(echoed.service, 'user');
      assert.equal(echoed.headers['x-user-name'], 'bob');
      assert.equal(echoed.headers['x-roles'], '["admin"]');
      assert.equal(echoed.jwtPayload.aud, USERS_AUDIENCE);
      // The gateway's session cookie never reaches the service. (The identity service's own
      // session cookies do: cookies ignore ports, and both run on 127.0.0.1 — docs/demo.md.)
      assert.equal((echoed.cookieNames as string[]).some((name) => name.startsWith('gatehouse')), false, echoed.cookieNames.join());
      const admin = await page.goto(`${GATEWAY}/users/admin`);
      assert.equal(admin?.status(), 200, 'signed in: bob (admin) opens the admin page without another login');
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

async function clientCredentialsToken(resource: string, scope: string): Promise<string> {
  const reply = await send(`${ISSUER}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('demo-m2m:demo-m2m-secret').toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope }).toString(),
  });
  assert.equal(reply.status, 200, reply.body);
  return JSON.parse(reply.body).access_token as string;
}

/** The command lines of the banner's "Try it" block: every indented line that is not a comment. */
function bannerCommands(output: string): string[] {
  const block = output.slice(output.indexOf('Try it'), output.indexOf('In a browser'));
  return block.split('\n').slice(1).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
}

interface CommandResult {
  command: string;
  output: string;
  status: number;
}

/** One bash session (variables carry over between lines, as in a terminal); a marker after each line splits the output. */
function runInBash(commands: string[]): Promise<CommandResult[]> {
  const marker = '@@gatehouse-demo-line@@';
  const script = commands.map((command) => `${command}\nprintf '\\n${marker} %d\\n' $?`).join('\n');
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', script], {
      cwd: REPOSITORY,
      env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 120_000,
    }, (error, stdout, stderr) => {
      if (error && !stdout) return reject(new Error(`bash failed: ${stderr}`));
      const parts = stdout.split(new RegExp(`\\n${marker} (\\d+)\\n`));
      const results = commands.map((command, index) => ({ command, output: parts[index * 2]?.trim() ?? '', status: Number(parts[index * 2 + 1]) }));
      resolve(results);
    });
  });
}

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
