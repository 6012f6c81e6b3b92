// What every benchmarked gateway ("peer") provides to the harness: how to start it with the
// shared policy (JWT required, issuer + audience checked, proxy to the upstream) and where it
// listens. Each peer lives in its own file next to this one.
import type { BenchAlgorithm, BenchClaims, BenchSigningKey } from '../tokens.ts';

export interface BenchEnvironment {
  /** Per-run temp directory; each peer writes its config under `${workDir}/${peer.id}-${alg}`. */
  workDir: string;
  upstreamUrl: string;
  jwksUrl: string;
  claims: BenchClaims;
  keys: Record<BenchAlgorithm, BenchSigningKey>;
  /** taskset CPU list for single-core peers, e.g. "0"; undefined = not pinned (1-CPU machine). */
  peerCpus?: string;
  /** When set, Gatehouse runs under `node --cpu-prof` and writes its profiles here. */
  cpuProfileDir?: string;
}

export interface RunningPeer {
  url: string;
  /** Root of the peer's process tree, for /proc CPU and RSS accounting. */
  rootPid: number;
  stop(): Promise<void>;
}

export interface PeerDefinition {
  /** Short id used by `--only` and in results, e.g. "haproxy", "gatehouse-2w". */
  id: string;
  /** One line for the report: what runs and how it is configured. */
  description: string;
  /** false for the plain nginx proxy: no JWT at all, measured as the one-hop reference. */
  authenticates: boolean;
  /** Executables the peer needs, with the Debian package that provides each. */
  requiredCommands: { command: string; debianPackage: string }[];
  /** `alg` is undefined for peers that do not authenticate. */
  start(env: BenchEnvironment, alg: BenchAlgorithm | undefined): Promise<RunningPeer>;
  /** The peer's version, for the report (e.g. `HAProxy 2.6.12`). */
  version(): string;
}
