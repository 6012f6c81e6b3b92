// HAProxy (Debian package, 2.5+) verifying the JWT in its own config: `jwt_verify` against the
// issuer's public key in PEM, then iss/aud/exp checked with `jwt_payload_query`, the way
// HAProxy's documentation and blog configure it. One thread, pinned like every 1-worker peer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort, firstOutputLine, spawnManaged, waitForPort } from '../process.ts';
import type { BenchEnvironment, PeerDefinition } from './peer.ts';
import type { BenchAlgorithm } from '../tokens.ts';

export function renderHaproxyConfig(env: BenchEnvironment, alg: BenchAlgorithm, port: number, publicKeyFile: string): string {
  const upstream = new URL(env.upstreamUrl).host;
  const deny = 'http-request deny deny_status 401';
  return `global
  nbthread 1
  maxconn 4096

defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option http-keep-alive

frontend bench
  bind 127.0.0.1:${port}
  http-request set-var(txn.bearer) http_auth_bearer
  ${deny} unless { var(txn.bearer) -m found }
  # Pin the algorithm (never trust the token's own alg for key choice, RFC 8725 §3.1).
  http-request set-var(txn.alg) var(txn.bearer),jwt_header_query('$.alg')
  ${deny} unless { var(txn.alg) -m str ${alg} }
  ${deny} unless { var(txn.bearer),jwt_verify(txn.alg,"${publicKeyFile}") -m int 1 }
  ${deny} unless { var(txn.bearer),jwt_payload_query('$.iss') -m str ${env.claims.issuer} }
  ${deny} unless { var(txn.bearer),jwt_payload_query('$.aud') -m str ${env.claims.audience} }
  # RFC 7519 §4.1.4: reject once now >= exp.
  http-request set-var(txn.exp) var(txn.bearer),jwt_payload_query('$.exp','int')
  http-request set-var(txn.now) date()
  ${deny} unless { var(txn.exp),sub(txn.now) -m int gt 0 }
  default_backend upstream

backend upstream
  http-reuse always
  server upstream ${upstream}
`;
}

export const haproxyJwtVerify: PeerDefinition = {
  id: 'haproxy',
  description: 'HAProxy jwt_verify (PEM public key) + iss/aud/exp checks in config, nbthread 1',
  authenticates: true,
  requiredCommands: [{ command: 'haproxy', debianPackage: 'haproxy' }],
  version: () => firstOutputLine('haproxy', ['-v']).replace(/ - https?:.*$/, ''),
  async start(env, alg) {
    if (alg === undefined) throw new Error('haproxy peer needs an algorithm');
    const dir = join(env.workDir, `haproxy-${alg}`);
    mkdirSync(dir, { recursive: true });
    const publicKeyFile = join(dir, 'issuer-public.pem');
    writeFileSync(publicKeyFile, env.keys[alg].publicKeyPem);
    const port = await findFreePort();
    const configFile = join(dir, 'haproxy.cfg');
    writeFileSync(configFile, renderHaproxyConfig(env, alg, port, publicKeyFile));
    const proc = spawnManaged({
      name: `haproxy (${alg})`,
      command: 'haproxy',
      args: ['-db', '-f', configFile],
      cpus: env.peerCpus,
      logFile: join(dir, 'haproxy.log'),
    });
    await waitForPort(proc, port);
    return { url: `http://127.0.0.1:${port}/`, rootPid: proc.pid, stop: () => proc.stop() };
  },
};
