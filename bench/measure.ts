// One measured run: warm the peer up, then load it with wrk while reading its CPU time and
// memory from /proc. Any non-2xx response or socket error, in warm-up or measurement, fails.
import { parseWrkOutput, refuseFailedRun, runWrk } from './load/wrk.ts';
import { readProcessTreeUsage } from './proc-stats.ts';
import type { RunningPeer } from './peers/peer.ts';

export interface LoadSettings {
  warmupSeconds: number;
  durationSeconds: number;
  connections: number;
  wrkThreads: number;
  /** taskset CPU list for wrk (shared with the upstream). */
  loadCpus?: string;
  /** wrk Lua script (default: bearer tokens from `tokensFile`); the identity benchmark posts forms. */
  script?: string;
}

export interface MeasuredRun {
  requests: number;
  requestsPerSecond: number;
  p50Micros: number;
  p99Micros: number;
  cpuMicrosPerRequest: number;
  rssBytes: number;
}

export async function measurePeer(peer: RunningPeer, tokensFile: string, settings: LoadSettings, label: string): Promise<MeasuredRun> {
  const load = {
    url: peer.url,
    tokensFile,
    connections: settings.connections,
    threads: settings.wrkThreads,
    cpus: settings.loadCpus,
    script: settings.script,
  };
  refuseFailedRun(parseWrkOutput(await runWrk({ ...load, durationSeconds: settings.warmupSeconds })), `${label} warm-up`);
  const before = readProcessTreeUsage(peer.rootPid);
  const output = await runWrk({ ...load, durationSeconds: settings.durationSeconds });
  const after = readProcessTreeUsage(peer.rootPid);
  const report = refuseFailedRun(parseWrkOutput(output), label);
  return {
    requests: report.requests,
    requestsPerSecond: report.requestsPerSecond,
    p50Micros: report.p50Micros,
    p99Micros: report.p99Micros,
    cpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / report.requests,
    rssBytes: after.rssBytes,
  };
}

/** Poll until a request with a valid token gets 200 (a gateway may answer before its JWKS is loaded). */
export async function waitUntilServing(url: string, token: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastStatus = 0;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      if (response.status === 200) return;
      lastStatus = response.status;
    } catch {
      lastStatus = 0;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer 200 to a valid token within ${timeoutMs} ms (last status ${lastStatus || 'none'})`);
}
