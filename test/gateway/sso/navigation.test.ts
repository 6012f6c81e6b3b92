import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { test } from 'node:test';
import { isBrowserNavigation, isLoopbackHost } from '../../../src/gateway/sso/navigation.ts';

test('only top-level browser navigations are sent to login; scripts and API clients get a 401', () => {
  const cases: [string, string, IncomingHttpHeaders, boolean][] = [
    ['Chromium navigation', 'GET', { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', accept: 'text/html,*/*' }, true],
    ['navigation without dest', 'GET', { 'sec-fetch-mode': 'navigate' }, true],
    ['HEAD navigation', 'HEAD', { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' }, true],
    ['fetch() asking for HTML', 'GET', { 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty', accept: 'text/html' }, false],
    ['same-origin fetch()', 'GET', { 'sec-fetch-mode': 'same-origin', accept: '*/*' }, false],
    ['iframe navigation', 'GET', { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe', accept: 'text/html' }, false],
    ['form POST navigation', 'POST', { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', accept: 'text/html' }, false],
    ['old browser, HTML', 'GET', { accept: 'text/html,application/xhtml+xml' }, true],
    ['old browser XHR', 'GET', { accept: 'text/html', 'x-requested-with': 'XMLHttpRequest' }, false],
    ['API client', 'GET', { accept: 'application/json' }, false],
    ['curl', 'GET', { accept: '*/*' }, false],
    ['no headers', 'GET', {}, false],
  ];
  for (const [name, method, headers, expected] of cases) assert.equal(isBrowserNavigation(method, headers), expected, name);
});

test('loopback hosts', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '[::1]']) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['example.com', '10.0.0.1', '127.0.0.1.example.com', 'localhost.example.com', '']) assert.equal(isLoopbackHost(host), false, host);
});
