// The client IP behind trusted proxies: the resolver's table, then both places the login throttle
// counts per IP — the account API's Basic auth and the login page — over real sockets, where every
// request comes from 127.0.0.1 as it would from the gateway.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createClientAddressResolver, parseCidr } from '../../src/identity/client-address.ts';
import { basicAuth, startApiServer, type ApiServer } from './api-server.ts';
import { authorizeUrl, CookieClient, csrfFrom, startHarness, type Harness } from './interactions/interaction-harness.ts';

function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  return { socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } } as unknown as IncomingMessage;
}

describe('createClientAddressResolver', () => {
  const cases: Array<{ name: string; trusted: string[]; peer: string; xff?: string; expected: string }> = [
    { name: 'no trusted proxies: the socket, X-Forwarded-For ignored', trusted: [], peer: '127.0.0.1', xff: '203.0.113.9', expected: '127.0.0.1' },
    { name: 'an untrusted peer: its own address', trusted: ['10.0.0.0/8'], peer: '192.0.2.1', xff: '203.0.113.9', expected: '192.0.2.1' },
    { name: 'a trusted peer: the forwarded client', trusted: ['10.0.0.0/8'], peer: '10.1.2.3', xff: '203.0.113.9', expected: '203.0.113.9' },
    { name: 'a forged left-most entry is skipped', trusted: ['10.0.0.0/8'], peer: '10.1.2.3', xff: '1.1.1.1, 203.0.113.9', expected: '203.0.113.9' },
    { name: 'a chain of trusted proxies is walked', trusted: ['10.0.0.0/8'], peer: '10.1.2.3', xff: '198.51.100.7, 10.9.9.9', expected: '198.51.100.7' },
    { name: 'all hops trusted: the left-most', trusted: ['10.0.0.0/8'], peer: '10.1.2.3', xff: '10.0.0.5, 10.0.0.6', expected: '10.0.0.5' },
    { name: 'a trusted peer without the header: the peer', trusted: ['10.0.0.0/8'], peer: '10.1.2.3', expected: '10.1.2.3' },
    { name: 'garbage where the client should be: the nearest trusted hop', trusted: ['10.0.0.0/8'], peer: '10.1.2.3', xff: 'evil, 10.0.0.6', expected: '10.0.0.6' },
    { name: 'an IPv4-mapped peer matches an IPv4 CIDR', trusted: ['127.0.0.1/32'], peer: '::ffff:127.0.0.1', xff: '203.0.113.9', expected: '203.0.113.9' },
    { name: 'IPv6 proxies and clients', trusted: ['fd00::/8'], peer: 'fd00::1', xff: '2001:db8::7', expected: '2001:db8::7' },
  ];
  for (const { name, trusted, peer, xff, expected } of cases) {
    it(name, () => assert.equal(createClientAddressResolver(trusted)(request(peer, xff)), expected));
  }

  it('parses CIDRs and single addresses, refuses the rest', () => {
    assert.deepEqual(parseCidr('10.0.0.0/8'), { address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    assert.deepEqual(parseCidr('::1'), { address: '::1', prefix: 128, family: 'ipv6' });
    for (const bad of ['10.0.0.0/33', 'gateway', '10.0.0.0/8/1', '10.0.0.0/x', '']) assert.equal(parseCidr(bad), undefined, bad);
  });
});

describe('the account API behind a trusted proxy', () => {
  let api: ApiServer;
  before(async () => {
    api = await startApiServer({ trustedProxies: ['127.0.0.1/32'], perIpMaxFailures: 3 });
    await api.accounts.addUser({ username: 'alice', password: 'alice-password' });
  });
  after(() => api.close());

  const list = (authorization: string, client: string) => fetch(`${api.url}/api/tokens`, { headers: { authorization, 'x-forwarded-for': client } });

  it('locks out the spraying client only, not everyone behind the proxy', async () => {
    for (const username of ['u1', 'u2', 'u3']) assert.equal((await list(basicAuth(username, 'wrong-password'), '203.0.113.1')).status, 401);
    assert.equal((await list(basicAuth('alice', 'alice-password'), '203.0.113.1')).status, 429, 'the sprayer is locked out');
    assert.equal((await list(basicAuth('alice', 'alice-password'), '203.0.113.2')).status, 200, 'another client behind the same proxy is not');
  });
});

describe('the login page behind a trusted proxy', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness({ trustedProxies: ['127.0.0.1/32'], perIpMaxFailures: 3 });
  });
  after(() => harness.close());

  async function tryLogin(client: string, username: string, password: string): Promise<number> {
    const browser = new CookieClient(harness.url);
    const start = await browser.request(authorizeUrl('shop'));
    const uid = /\/interaction\/([^/?]+)$/.exec(start.location ?? '')?.[1];
    const page = await browser.request(start.location!);
    const reply = await browser.request(`/interaction/${uid}/login`, { form: { username, password, csrf: csrfFrom(page.body) }, headers: { 'x-forwarded-for': client } });
    return reply.status;
  }

  it('counts failures per forwarded client IP', async () => {
    for (const username of ['u1', 'u2', 'u3']) assert.equal(await tryLogin('198.51.100.1', username, 'wrong-password'), 200);
    assert.equal(await tryLogin('198.51.100.1', 'alice', 'alice-password'), 429, 'the sprayer is locked out');
    assert.equal(await tryLogin('198.51.100.2', 'alice', 'alice-password'), 303, 'another client signs in');
  });
});
