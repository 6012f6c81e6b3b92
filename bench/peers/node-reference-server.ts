// The reference shape issue 7 quotes from the lab: a plain node:http server, jose verifying the
// bearer token (issuer, audience, algorithm pinned) with a verified-token cache keyed by the raw
// token until its exp, and undici forwarding — no routing, policy, logs or metrics. It shows
// what Node itself allows on this machine, so Gatehouse's own overhead can be read against it.
import { createServer, type ServerResponse } from 'node:http';
import { createPublicKey } from 'node:crypto';
import { jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { Pool } from 'undici';
import { readNodePeerConfig } from './node-peer-config.ts';

const config = readNodePeerConfig();
const publicKey = createPublicKey(config.publicKeyPem);
const upstream = new Pool(config.upstreamUrl, { connections: 128 });
/** raw token → its exp in milliseconds */
const verifiedUntil = new LRUCache<string, number>({ max: 10_000 });

function unauthorized(res: ServerResponse): void {
  res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
}

async function verifiedToken(authorization: string | undefined): Promise<boolean> {
  if (authorization === undefined || !authorization.startsWith('Bearer ')) return false;
  const token = authorization.slice(7);
  const until = verifiedUntil.get(token);
  if (until !== undefined && until > Date.now()) return true;
  try {
    const { payload } = await jwtVerify(token, publicKey, {
      issuer: config.issuer,
      audience: config.audience,
      algorithms: [config.algorithm],
    });
    verifiedUntil.set(token, (payload.exp ?? 0) * 1000);
    return true;
  } catch {
    return false;
  }
}

createServer(async (req, res) => {
  if (!(await verifiedToken(req.headers.authorization))) return unauthorized(res);
  try {
    const { statusCode, headers, body } = await upstream.request({
      path: req.url ?? '/',
      method: 'GET',
      headers: { 'x-forwarded-for': req.socket.remoteAddress ?? '' },
    });
    res.writeHead(statusCode, { 'content-type': String(headers['content-type'] ?? 'application/octet-stream') });
    body.pipe(res);
  } catch {
    res.writeHead(502).end();
  }
}).listen(config.port, '127.0.0.1');
