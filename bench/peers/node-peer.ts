// Starting a Node peer server (fastify-server.ts, express-server.ts) as its own process with the
// same Node 24 that runs the harness, pinned like every 1-worker peer.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort, spawnManaged, waitForPort } from '../process.ts';
import { NODE_PEER_CONFIG_VARIABLE, type NodePeerConfig } from './node-peer-config.ts';
import type { BenchEnvironment, RunningPeer } from './peer.ts';
import type { BenchAlgorithm } from '../tokens.ts';

export async function startNodePeer(
  id: string,
  serverFile: string,
  env: BenchEnvironment,
  alg: BenchAlgorithm | undefined,
): Promise<RunningPeer> {
  if (alg === undefined) throw new Error(`${id} peer needs an algorithm`);
  const dir = join(env.workDir, `${id}-${alg}`);
  mkdirSync(dir, { recursive: true });
  const port = await findFreePort();
  const config: NodePeerConfig = {
    port,
    upstreamUrl: env.upstreamUrl,
    issuer: env.claims.issuer,
    audience: env.claims.audience,
    algorithm: alg,
    publicKeyPem: env.keys[alg].publicKeyPem,
    jwksUrl: env.jwksUrl,
  };
  const proc = spawnManaged({
    name: `${id} (${alg})`,
    command: process.execPath,
    args: [fileURLToPath(new URL(serverFile, import.meta.url))],
    cpus: env.peerCpus,
    logFile: join(dir, 'server.log'),
    env: { ...process.env, NODE_ENV: 'production', [NODE_PEER_CONFIG_VARIABLE]: JSON.stringify(config) },
  });
  await waitForPort(proc, port);
  return { url: `http://127.0.0.1:${port}/`, rootPid: proc.pid, stop: () => proc.stop() };
}

/** `name x.y.z` from the installed package (not every package exports its package.json). */
export function packageVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8'));
  return `${name} ${manifest.version}`;
}
