// Gatehouse as users run it: the CLI (`gatehouse gateway --config PATH --workers N`) as a child
// process, configured through its normal YAML — a Gateway listener, a Backend for the upstream,
// an HTTPRoute, an Istio RequestAuthentication (issuer, audience, jwksUri) and an Istio
// AuthorizationPolicy requiring a principal and a `role` claim. Access log and metrics stay on:
// the access log goes to stdout, which the harness discards (the cost of writing it is kept).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort, spawnManaged, waitForPort } from '../process.ts';
import type { BenchEnvironment, PeerDefinition } from './peer.ts';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
/** The `gatehouse` launcher, as users start it: it sets up the runtime (Node flags, compile cache). */
export const GATEHOUSE_CLI = join(REPOSITORY, 'bin/gatehouse.js');

export function renderGatehouseConfig(env: BenchEnvironment, port: number): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: bench-gateway
spec:
  addresses:
    - value: 127.0.0.1
  listeners:
    - name: http
      port: ${port}
      protocol: HTTP
---
apiVersion: gatehouse.dev/v1alpha1
kind: Backend
metadata:
  name: bench-upstream
spec:
  endpoints:
    - url: ${env.upstreamUrl}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: bench-route
spec:
  parentRefs:
    - name: bench-gateway
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /
      backendRefs:
        - group: gatehouse.dev
          kind: Backend
          name: bench-upstream
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: bench-jwt
spec:
  jwtRules:
    - issuer: ${JSON.stringify(env.claims.issuer)}
      audiences:
        - ${JSON.stringify(env.claims.audience)}
      jwksUri: ${JSON.stringify(env.jwksUrl)}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: bench-require-jwt
spec:
  action: ALLOW
  rules:
    - from:
        - source:
            requestPrincipals: ["*"]
      when:
        - key: request.auth.claims[role]
          values: [${JSON.stringify(env.claims.role)}]
`;
}

/** node --cpu-prof writes one profile per process (cluster workers inherit the flags) on a clean exit. */
function profilingFlags(env: BenchEnvironment, name: string): string[] {
  if (env.cpuProfileDir === undefined) return [];
  return ['--cpu-prof', '--cpu-prof-dir', join(env.cpuProfileDir, name)];
}

function gatehousePeer(workers: number): PeerDefinition {
  const id = `gatehouse-${workers}w`;
  return {
    id,
    description:
      `Gatehouse CLI, --workers ${workers}${workers === 1 ? ' (pinned like the other 1-worker peers)' : ' (not pinned: both cores)'}, ` +
      'RequestAuthentication (jwksUri) + AuthorizationPolicy (principal + role claim), access log and metrics on',
    authenticates: true,
    requiredCommands: [],
    version: () => `gatehouse ${JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')).version} (${process.version})`,
    async start(env, alg) {
      if (!existsSync(GATEHOUSE_CLI)) throw new Error(`${GATEHOUSE_CLI} does not exist yet`);
      const dir = join(env.workDir, `${id}-${alg}`);
      mkdirSync(dir, { recursive: true });
      const [port, adminPort] = [await findFreePort(), await findFreePort()];
      const configFile = join(dir, 'gatehouse.yaml');
      writeFileSync(configFile, renderGatehouseConfig(env, port));
      const proc = spawnManaged({
        name: `${id} (${alg})`,
        command: process.execPath,
        args: [...profilingFlags(env, `${id}-${alg}`), GATEHOUSE_CLI, 'gateway', '--config', configFile, '--workers', String(workers), '--admin', `127.0.0.1:${adminPort}`],
        cpus: workers === 1 ? env.peerCpus : undefined,
        logFile: join(dir, 'gatehouse.log'),
        discardStdout: true,
        env: { ...process.env, NODE_ENV: 'production' },
      });
      await waitForPort(proc, port);
      return { url: `http://127.0.0.1:${port}/`, rootPid: proc.pid, stop: () => proc.stop() };
    },
  };
}

export const gatehouseOneWorker = gatehousePeer(1);
export const gatehouseTwoWorkers = gatehousePeer(2);
