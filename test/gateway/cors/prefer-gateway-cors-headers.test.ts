// On a CORS route the gateway's Access-Control-* headers win over the upstream's, and Vary is merged.
import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { test } from 'node:test';
import { preferGatewayCorsHeaders } from '../../../src/gateway/cors/prefer-gateway-cors-headers.ts';

function responseWithVaryOrigin(): ServerResponse {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  res.setHeader('vary', 'Origin');
  res.setHeader('access-control-allow-origin', 'https://app.test');
  return res;
}

const cases: { name: string; upstream: Record<string, string | string[]>; expectVary: string | undefined; keptOnRes: string | undefined }[] = [
  { name: 'upstream without Vary: ours stays on the response', upstream: {}, expectVary: undefined, keptOnRes: 'Origin' },
  { name: 'upstream Vary is merged with Origin', upstream: { vary: 'Accept-Encoding' }, expectVary: 'Accept-Encoding, Origin', keptOnRes: undefined },
  { name: 'upstream Vary already naming Origin is kept', upstream: { vary: 'origin, accept' }, expectVary: 'origin, accept', keptOnRes: undefined },
  { name: 'upstream Vary: * is kept', upstream: { vary: '*' }, expectVary: '*', keptOnRes: undefined },
];
for (const row of cases) {
  test(row.name, () => {
    const res = responseWithVaryOrigin();
    const upstream: Record<string, string | string[] | undefined> = { ...row.upstream, 'access-control-allow-origin': '*', 'access-control-max-age': '99', 'content-type': 'text/plain' };
    preferGatewayCorsHeaders(res, upstream);
    assert.equal(upstream.vary, row.expectVary);
    assert.equal(res.getHeader('vary'), row.keptOnRes);
    assert.equal(upstream['access-control-allow-origin'], undefined, "the upstream's CORS answer is dropped");
    assert.equal(upstream['access-control-max-age'], undefined);
    assert.equal(upstream['content-type'], 'text/plain');
    assert.equal(res.getHeader('access-control-allow-origin'), 'https://app.test');
  });
}
