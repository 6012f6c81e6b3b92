import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { test } from 'node:test';
import { MAX_COOKIE_VALUE_BYTES, appendSetCookies, chunkedSetCookies, withGatewayCookies, deleteCookies, isCookieOf, parseCookieHeader, readChunkedCookie, serializeCookie } from '../../../src/gateway/sso/cookies.ts';

test('Set-Cookie lines carry HttpOnly, Path=/, SameSite=Lax and Secure when asked', () => {
  assert.equal(serializeCookie('__Host-gatehouse', 'v', { secure: true, maxAgeSeconds: 60 }), '__Host-gatehouse=v; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=60');
  assert.equal(serializeCookie('gatehouse_session', 'v', { secure: false, maxAgeSeconds: 0 }), 'gatehouse_session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
});

test('a long value is split into chunks and read back whole; stale cookies are deleted', () => {
  const value = 'x'.repeat(MAX_COOKIE_VALUE_BYTES * 2 + 10);
  const present = parseCookieHeader('s=old; other=1; s.5=stale');
  const lines = chunkedSetCookies('s', value, { secure: false, maxAgeSeconds: 60 }, present);
  const written = lines.filter((line) => !line.includes('Max-Age=0')).map((line) => line.slice(0, line.indexOf(';')));
  assert.deepEqual(written.map((pair) => pair.slice(0, pair.indexOf('='))), ['s.0', 's.1', 's.2']);
  assert.deepEqual(lines.filter((line) => line.includes('Max-Age=0')).map((line) => line.slice(0, line.indexOf('='))), ['s', 's.5']);
  const jar = new Map(written.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  assert.equal(readChunkedCookie(jar, 's'), value);
  const short = chunkedSetCookies('s', 'small', { secure: false, maxAgeSeconds: 60 }, parseCookieHeader('s.0=a; s.1=b'));
  assert.deepEqual(short.map((line) => line.slice(0, line.indexOf(';'))), ['s=small', 's.0=', 's.1=']);
  assert.throws(() => chunkedSetCookies('s', 'x'.repeat(MAX_COOKIE_VALUE_BYTES * 9), { secure: false, maxAgeSeconds: 60 }, new Map()), /exceeds/);
});

test('cookie parsing and ownership', () => {
  const cookies = parseCookieHeader(' a=1; b = 2 ;junk; a=3; c=x=y');
  assert.deepEqual([...cookies], [['a', '1'], ['b', '2'], ['c', 'x=y']]);
  assert.equal(readChunkedCookie(cookies, 'missing'), undefined);
  assert.deepEqual(deleteCookies('a', true, cookies), ['a=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0']);
  assert.equal(isCookieOf('gatehouse_session', 'gatehouse_session'), true);
  assert.equal(isCookieOf('gatehouse_session.3', 'gatehouse_session'), true);
  assert.equal(isCookieOf('gatehouse_session-login', 'gatehouse_session'), false);
  assert.equal(isCookieOf('gatehouse_session.x', 'gatehouse_session'), false);
});

test("a refreshed session's cookie goes out next to the upstream's cookies, not instead of them", () => {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  assert.equal(withGatewayCookies(res, 'up=1'), 'up=1', 'nothing of ours: the upstream header as it was');
  assert.equal(withGatewayCookies(res, undefined), undefined);
  appendSetCookies(res, ['s=new; Path=/']);
  appendSetCookies(res, ['s.0=; Max-Age=0']);
  assert.deepEqual(withGatewayCookies(res, ['up=1', 'up2=2']), ['s=new; Path=/', 's.0=; Max-Age=0', 'up=1', 'up2=2']);
  assert.deepEqual(withGatewayCookies(res, undefined), ['s=new; Path=/', 's.0=; Max-Age=0']);
});
