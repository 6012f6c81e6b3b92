// Interleaved rounds: every round runs every peer once per scenario (peer A, B, C, … then again),
// so machine noise lands on all peers alike and the medians compare like with like.
import { measurePeer, waitUntilServing, type LoadSettings } from './measure.ts';
import { checkPeerPolicy } from './policy-check.ts';
import { mintToken, type BenchAlgorithm, type TokenFiles, type TokenMix } from './tokens.ts';
import type { BenchEnvironment, PeerDefinition, RunningPeer } from './peers/peer.ts';
import type { BenchResults } from './report.ts';
import type { RunMeasurement } from './stats.ts';

export interface RoundsOutcome {
  runs: RunMeasurement[];
  failures: BenchResults['failures'];
  policyGaps: Map<string, string[]>;
}

function formatLine(label: string, run: RunMeasurement): string {
  return `  ${label.padEnd(36)} ${Math.round(run.requestsPerSecond).toString().padStart(7)} req/s  ` +
    `p50 ${(run.p50Micros / 1000).toFixed(2)} ms  p99 ${(run.p99Micros / 1000).toFixed(2)} ms  ` +
    `${run.cpuMicrosPerRequest.toFixed(1)} µs/req  ${(run.rssBytes / 1048576).toFixed(0)} MB`;
}

async function runPeerScenarios(
  peer: PeerDefinition,
  alg: BenchAlgorithm | undefined,
  round: number,
  env: BenchEnvironment,
  tokenFiles: TokenFiles,
  settings: LoadSettings,
  outcome: RoundsOutcome,
  scenarios: ScenarioFilter,
): Promise<void> {
  const mixes: (TokenMix | undefined)[] = alg ? [...scenarios.mixes] : [undefined];
  const fail = (mix: TokenMix | undefined, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    outcome.failures.push({ peer: peer.id, alg: alg ?? null, mix: mix ?? null, round, error: message });
    console.error(`  ✗ ${peer.id} ${alg ?? ''} ${mix ?? ''} round ${round} FAILED: ${message}`);
  };
  let running: RunningPeer;
  try {
    running = await peer.start(env, alg);
  } catch (error) {
    for (const mix of mixes) fail(mix, error);
    return;
  }
  try {
    if (alg) {
      await waitUntilServing(running.url, mintToken(env.keys[alg], env.claims, 'readiness', Math.floor(Date.now() / 1000)));
      if (round === 1) {
        const { gaps } = await checkPeerPolicy(running.url, env.keys[alg], env.claims, alg);
        outcome.policyGaps.set(peer.id, [...(outcome.policyGaps.get(peer.id) ?? []), ...gaps]);
        for (const gap of gaps) console.error(`  ⚠ ${peer.id} policy gap: ${gap}`);
      }
    }
    for (const mix of mixes) {
      const label = [peer.id, alg, mix, `#${round}`].filter(Boolean).join(' ');
      try {
        const measured = await measurePeer(running, tokenFiles[alg ?? 'RS256'][mix ?? 'session'], settings, label);
        const run: RunMeasurement = { peer: peer.id, alg: alg ?? null, mix: mix ?? null, round, ...measured };
        outcome.runs.push(run);
        console.log(formatLine(label, run));
      } catch (error) {
        fail(mix, error);
      }
    }
  } catch (error) {
    fail(undefined, error);
  } finally {
    await running.stop();
  }
}

/** Which algorithms and token mixes to run (`--alg`, `--mix`). */
export interface ScenarioFilter {
  algorithms: readonly BenchAlgorithm[];
  mixes: readonly TokenMix[];
}

export async function runRounds(
  peers: readonly PeerDefinition[],
  rounds: number,
  env: BenchEnvironment,
  tokenFiles: TokenFiles,
  settings: LoadSettings,
  scenarios: ScenarioFilter,
): Promise<RoundsOutcome> {
  const outcome: RoundsOutcome = { runs: [], failures: [], policyGaps: new Map() };
  for (let round = 1; round <= rounds; round++) {
    console.log(`round ${round} of ${rounds}`);
    for (const peer of peers) {
      for (const alg of peer.authenticates ? scenarios.algorithms : [undefined]) {
        await runPeerScenarios(peer, alg, round, env, tokenFiles, settings, outcome, scenarios);
      }
    }
  }
  return outcome;
}
