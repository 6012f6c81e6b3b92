// `npm run bench -- memory [--tokens 100000] [--alg ES256]`: the RSS target of issue 7 (< 150 MB
// after 100,000 distinct valid tokens). Starts Gatehouse as the side-by-side benchmark does
// (1 worker, pinned, access log and metrics on), sends every token of the distinct mix exactly
// once (64 requests in flight, each answer must be 2xx), and prints RSS and the V8 heap before,
// during and after, read by bench/memory/memory-probe.js inside the gateway. `--node-flags`
// passes V8/Node flags to the gateway only (e.g. --max-semi-space-size=8); the environment
// (MALLOC_ARENA_MAX) is inherited.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { startJwksServer } from '../jwks-server.ts';
import { describeMachine } from '../machine.ts';
import { gatehouseOneWorker } from '../peers/gatehouse.ts';
import { readProcessTreeUsage } from '../proc-stats.ts';
import { stopAllManaged } from '../process.ts';
import { BENCH_ALGORITHMS, generateSigningKey, mintTokensInParallel, type BenchAlgorithm } from '../tokens.ts';
import { startUpstream } from '../upstream.ts';

const PROBE = fileURLToPath(new URL('./memory-probe.js', import.meta.url));
const IN_FLIGHT = 64;
const CLAIMS = { issuer: 'https://issuer.bench.gatehouse.test', audience: 'bench-api', role: 'user', lifetimeSeconds: 2 * 3600 };
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

interface ProbeLine { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number }

/** Signals the probe and waits for its next line in the gateway's log. */
async function probe(pid: number, logFile: string): Promise<ProbeLine> {
  const seen = readFileSync(logFile, 'utf8').split('\n').filter((line) => line.startsWith('memory-probe ')).length;
  process.kill(pid, 'SIGUSR2');
  for (let attempt = 0; attempt < 100; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = readFileSync(logFile, 'utf8').split('\n').filter((line) => line.startsWith('memory-probe '));
    if (lines.length > seen) return JSON.parse(lines[lines.length - 1].slice('memory-probe '.length)) as ProbeLine;
  }
  throw new Error('the memory probe did not answer');
}

function describeProbe(label: string, line: ProbeLine): string {
  return `${label.padEnd(24)} RSS ${mb(line.rss).padStart(9)}  V8 heap total ${mb(line.heapTotal).padStart(9)}  used ${mb(line.heapUsed).padStart(9)}  external ${mb(line.external).padStart(8)}  outside the V8 heap ${mb(line.rss - line.heapTotal).padStart(9)}`;
}

export async function runDistinctRss(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { tokens: { type: 'string', default: '100000' }, alg: { type: 'string', default: 'ES256' }, 'node-flags': { type: 'string', default: '' } } });
  const count = Number(values.tokens);
  const alg = values.alg as BenchAlgorithm;
  if (!Number.isInteger(count) || count < 1 || !BENCH_ALGORITHMS.includes(alg)) {
    console.error('usage: npm run bench -- memory [--tokens N] [--alg RS256|ES256] [--node-flags "V8/Node flags for the gateway"]');
    return 2;
  }
  const cpus = describeMachine().cpus >= 2;
  const workDir = mkdtempSync(join(tmpdir(), 'gatehouse-memory-'));
  const key = generateSigningKey(alg);
  console.log(`minting ${count.toLocaleString('en-US')} distinct ${alg} tokens…`);
  const tokens = await mintTokensInParallel(key, CLAIMS, 'distinct-user', count);
  const jwks = await startJwksServer([key]);
  const upstream = await startUpstream(workDir, cpus ? '1' : undefined);
  const previousOptions = process.env.NODE_OPTIONS;
  // Inherited by the gateway child only (restored once it has started).
  process.env.NODE_OPTIONS = `${previousOptions ?? ''} ${values['node-flags']} --import ${PROBE}`.trim();
  const keys = { RS256: key, ES256: key };
  let pool: Pool | undefined;
  try {
    const peer = await gatehouseOneWorker.start({ workDir, upstreamUrl: upstream.url, jwksUrl: jwks.url, claims: CLAIMS, keys, peerCpus: cpus ? '0' : undefined }, alg);
    process.env.NODE_OPTIONS = previousOptions;
    const logFile = join(workDir, `gatehouse-1w-${alg}`, 'gatehouse.log');
    pool = new Pool(peer.url, { connections: IN_FLIGHT });
    const send = async (token: string) => {
      const response = await pool!.request({ path: '/', method: 'GET', headers: { authorization: `Bearer ${token}` } });
      await response.body.dump();
      if (response.statusCode < 200 || response.statusCode > 299) throw new Error(`HTTP ${response.statusCode}: the run is refused`);
    };
    await send(tokens[0]); // the gateway has loaded its JWKS
    console.log(describeProbe('started, one token', await probe(peer.rootPid, logFile)));
    const checkpoints = new Set([10_000, 20_000, 50_000].filter((n) => n < count));
    let next = 1;
    let done = 1;
    const startedAt = performance.now();
    const lane = async () => {
      while (next < count) {
        await send(tokens[next++]);
        done++;
        if (checkpoints.delete(done)) console.log(describeProbe(`after ${done.toLocaleString('en-US')} tokens`, await probe(peer.rootPid, logFile)));
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    const seconds = (performance.now() - startedAt) / 1000;
    console.log(describeProbe(`after ${count.toLocaleString('en-US')} tokens`, await probe(peer.rootPid, logFile)));
    const tree = readProcessTreeUsage(peer.rootPid);
    console.log(`\n${count.toLocaleString('en-US')} distinct ${alg} tokens in ${seconds.toFixed(1)} s, all 2xx; gateway RSS (/proc) ${mb(tree.rssBytes)} — target < 150 MB`);
    await peer.stop();
    return 0;
  } finally {
    process.env.NODE_OPTIONS = previousOptions;
    await pool?.close();
    await jwks.close();
    await upstream.process.stop();
    await stopAllManaged();
    rmSync(workDir, { recursive: true, force: true });
  }
}
