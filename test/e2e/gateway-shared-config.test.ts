// Scale-out with one configuration: two gateway processes started as users start them
// (`gatehouse gateway --config DIR`) on the SAME directory reload independently when it changes —
// both pick up a good change, both refuse a bad one and keep serving their last good
// configuration — and `gatehouse check` prints byte-identical output for that directory.
// Two layouts: a directory edited in place, and a Kubernetes ConfigMap volume, where the kubelet
// swaps a `..data` link and the visible files themselves never change.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { MAIN_SCRIPT, runCli } from '../cli/run-cli.ts';
import { startEchoUpstream, type EchoUpstream } from './gateway-harness.ts';
import { writeConfigMapVolume } from './support/configmap-volume.ts';

/** How long a reload may take to show on a loaded machine; a bound, not a measurement. */
const RELOAD_DEADLINE_MS = 15_000;

interface GatewayProcess {
  readonly baseUrl: string;
  readonly adminUrl: string;
  /** Log lines (JSON) so far. */
  readonly lines: Record<string, unknown>[];
  stop(): Promise<number | null>;
}

/** `gatehouse gateway` as a separate process; resolves once it logged `gateway started`. */
async function startGatewayProcess(configDir: string): Promise<GatewayProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [MAIN_SCRIPT, 'gateway', '--config', configDir, '--workers', '1', '--admin', '127.0.0.1:0'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (text) => {
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      if (line.msg === 'gateway started') resolve(line);
    });
    void exited.then((code) => reject(new Error(`gateway exited (${code}) before starting: ${stderr}`)));
  });
  const line = await started;
  const listeners = line.listeners as Record<string, { port: number }>;
  return {
    baseUrl: `http://127.0.0.1:${listeners['edge/http'].port}`,
    adminUrl: `http://127.0.0.1:${line.adminPort as number}`,
    lines,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A Gateway on loopback port 0 (each process binds its own port), one Backend, one route per path. */
function config(upstreamUrl: string, paths: string[]): Record<string, string> {
  return {
    '00-gateway.yaml': `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge}
spec:
  addresses: [{value: 127.0.0.1}]
  listeners: [{name: http, port: 0, protocol: HTTP}]
`,
    '10-backend.yaml': `apiVersion: gatehouse.dev/v1alpha1
kind: Backend
metadata: {name: echo}
spec:
  endpoints: [{url: "${upstreamUrl}"}]
`,
    '20-routes.yaml': paths
      .map(
        (path) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: route${path.replaceAll('/', '-')}}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: PathPrefix, value: "${path}"}}]
    backendRefs: [{group: gatehouse.dev, kind: Backend, name: echo}]
`,
      )
      .join('---\n'),
  };
}

const BROKEN_ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: broken}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: Sideways, value: /x}}]
`;

/** An editor saving the files that changed in place (and deleting those no longer wanted). */
async function writePlainDirectory(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    if ((await readFile(join(dir, name), 'utf8').catch(() => undefined)) !== content) await writeFile(join(dir, name), content);
  }
  for (const name of await readdir(dir)) if (!(name in files)) await unlink(join(dir, name));
}

const LAYOUTS = [
  { name: 'a directory edited in place', write: writePlainDirectory },
  { name: 'a ConfigMap volume updated by the kubelet (..data swap)', write: writeConfigMapVolume },
];

async function status(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
}

async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + RELOAD_DEADLINE_MS;
  while (!(await probe())) {
    if (Date.now() > deadline) assert.fail(`not within ${RELOAD_DEADLINE_MS} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function statuses(gateways: GatewayProcess[], path: string): Promise<number[]> {
  return Promise.all(gateways.map((gateway) => status(`${gateway.baseUrl}${path}`)));
}

let upstream: EchoUpstream;
before(async () => {
  upstream = await startEchoUpstream('shared');
});
after(() => upstream.close());

describe('two gateways on one config directory', () => {
  for (const layout of LAYOUTS) {
    test(`${layout.name}: both reload on their own, refuse a bad edit alike, and check prints the same`, async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'gatehouse-shared-config-'));
      const gateways: GatewayProcess[] = [];
      t.after(async () => {
        for (const gateway of gateways) await gateway.stop();
        await rm(dir, { recursive: true, force: true });
      });
      await layout.write(dir, config(upstream.url, ['/one']));
      gateways.push(await startGatewayProcess(dir), await startGatewayProcess(dir));
      assert.notEqual(gateways[0].baseUrl, gateways[1].baseUrl, 'two instances, two ports');
      assert.deepEqual(await statuses(gateways, '/one'), [200, 200]);
      assert.deepEqual(await statuses(gateways, '/two'), [404, 404]);

      // A good change: each instance notices it and serves it.
      await layout.write(dir, config(upstream.url, ['/one', '/two']));
      await until('both serve /two', async () => (await statuses(gateways, '/two')).every((s) => s === 200));
      for (const gateway of gateways) {
        await until('each logs its own reload', async () => gateway.lines.some((l) => l.msg === 'configuration reloaded' && l.generation === 2));
      }

      // A bad change: each refuses it on its own and keeps serving generation 2.
      await layout.write(dir, { ...config(upstream.url, ['/one', '/two']), '30-broken.yaml': BROKEN_ROUTE });
      for (const gateway of gateways) {
        await until('each logs the refusal', async () => gateway.lines.some((l) => String(l.msg).startsWith('configuration refused') && l.servingGeneration === 2));
      }
      assert.deepEqual(await statuses(gateways, '/two'), [200, 200], 'the last good configuration keeps serving');
      for (const gateway of gateways) {
        const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
        assert.match(metrics, /^gatehouse_config_reloads_total\{outcome="error"\} [1-9]/m);
        assert.match(metrics, /^gatehouse_config_generation 2$/m);
      }

      // Fixed: both move on to the next good configuration.
      await layout.write(dir, config(upstream.url, ['/one', '/three']));
      await until('both serve /three', async () => (await statuses(gateways, '/three')).every((s) => s === 200));
      assert.deepEqual(await statuses(gateways, '/two'), [404, 404]);

      // What an operator runs against the directory before and after a change: same bytes.
      const [first, second] = [await runCli(['check', '--config', dir]), await runCli(['check', '--config', dir])];
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /PathPrefix \/three/);
      assert.equal(second.code, first.code);
      assert.equal(second.stdout, first.stdout);
      assert.equal(second.stderr, first.stderr);

      for (const gateway of gateways.splice(0)) assert.equal(await gateway.stop(), 0, 'SIGTERM: a clean exit');
    });
  }
});
