// The Dockerfile, checked without a Docker engine: what it says (multi-stage on Node 24,
// production dependencies only, non-root USER matching the pods, HEALTHCHECK on /readyz, EXPOSE of
// every port the manifests use, the default command matching the gateway Deployment), and what it
// would build: the files it copies, with only the production dependencies, start a gateway whose
// readiness the HEALTHCHECK command reads.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { baseImage, envDefaults, execForm, instructions, readDockerfile } from './support/dockerfile.ts';
import { argValue, GATEHOUSE_IMAGE, ManifestSet, REPO_ROOT } from './support/manifests.ts';

const dockerfile = readDockerfile();
const finalStage = dockerfile.stages.at(-1)!;
const set = new ManifestSet();
const gatehousePods = set.deployments.filter((d) => GATEHOUSE_IMAGE.test(d.spec.template.spec.containers[0].image));
const gateway = set.deployment('gatehouse-gateway');
const identity = set.deployment('gatehouse-identity');
const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** `COPY [--from=x] src… dest` → sources (only for copies from the build context). */
function contextCopies(): string[] {
  return dockerfile.stages.flatMap((stage) =>
    instructions(stage, 'COPY')
      .filter((copy) => !copy.text.includes('--from='))
      .flatMap((copy) => copy.text.split(/\s+/).slice(0, -1)),
  );
}

/** Bare module specifiers the runtime code imports (type-only imports are erased, so they do not count). */
function runtimeImports(dir: string, found = new Set<string>()): Set<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) runtimeImports(path, found);
    else if (/\.(ts|js)$/.test(entry.name)) {
      const text = readFileSync(path, 'utf8');
      const specifiers = [
        ...text.matchAll(/^(?:import|export)\s+(?!type\s)[^'"]*?from\s+'([^']+)'/gm),
        ...text.matchAll(/^import\s+'([^']+)'/gm),
        ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
      ].map((match) => match[1]);
      for (const specifier of specifiers) {
        if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
        found.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
      }
    }
  }
  return found;
}

describe('Dockerfile', () => {
  test('multi-stage on Node 24: production dependencies installed in one stage, copied into the next', () => {
    assert.ok(dockerfile.stages.length >= 2);
    for (const stage of dockerfile.stages) assert.match(baseImage(dockerfile, stage), /^node:24[.-]/);
    const dependencies = dockerfile.stages.find((stage) => instructions(stage, 'RUN').some((run) => /\bnpm ci\b.*--omit=dev/.test(run.text)));
    assert.ok(dependencies?.name, 'a named stage runs npm ci --omit=dev');
    assert.ok(instructions(finalStage, 'COPY').some((copy) => copy.text.startsWith(`--from=${dependencies.name} /app/node_modules`)));
    assert.ok(instructions(finalStage, 'RUN').length === 0, 'the final stage installs nothing');
  });

  test('USER is a non-root uid, the one the Kubernetes pods run as', () => {
    const [user] = instructions(finalStage, 'USER').map((u) => u.text);
    assert.match(user, /^\d+(:\d+)?$/, 'numeric, so runAsNonRoot can verify it');
    const uid = Number(user.split(':')[0]);
    assert.notEqual(uid, 0);
    for (const pod of gatehousePods) assert.equal(pod.spec.template.spec.securityContext?.runAsUser, uid, pod.metadata.name);
  });

  test('HEALTHCHECK reads /readyz: the gateway admin listener by default, the identity port when it runs', () => {
    const [healthcheck] = instructions(finalStage, 'HEALTHCHECK');
    assert.ok(healthcheck, 'a HEALTHCHECK');
    const command = execForm(healthcheck.text.replace(/^.*?CMD\s+/, ''));
    assert.ok(command?.[0] === 'node', 'exec form, with the image’s node (no curl in a slim image)');
    const defaultUrl = new URL(envDefaults(finalStage).GATEHOUSE_HEALTHCHECK_URL);
    assert.equal(defaultUrl.pathname, '/readyz');
    assert.equal(defaultUrl.port, argValue(gateway.spec.template.spec.containers[0], '--admin')!.split(':')[1]);
    const identityContainer = identity.spec.template.spec.containers[0];
    const identityUrl = new URL(identityContainer.env!.find((e) => e.name === 'GATEHOUSE_HEALTHCHECK_URL')!.value!);
    assert.equal(identityUrl.pathname, identityContainer.readinessProbe!.httpGet!.path);
    assert.equal(Number(identityUrl.port), identityContainer.ports![0].containerPort);
  });

  test('EXPOSE lists every port the gatehouse containers open', () => {
    const exposed = instructions(finalStage, 'EXPOSE').flatMap((e) => e.text.split(/\s+/).map((port) => Number(port.split('/')[0])));
    for (const pod of gatehousePods) {
      for (const port of pod.spec.template.spec.containers[0].ports ?? []) assert.ok(exposed.includes(port.containerPort), `${pod.metadata.name} ${port.name} ${port.containerPort}`);
    }
  });

  test('ENTRYPOINT runs the CLI; the default command is the gateway Deployment’s, on its config mount', () => {
    assert.deepEqual(execForm(instructions(finalStage, 'ENTRYPOINT')[0].text), ['node', 'bin/gatehouse.js']);
    const command = execForm(instructions(finalStage, 'CMD')[0].text)!;
    const container = gateway.spec.template.spec.containers[0];
    assert.equal(command[0], container.args![0]);
    assert.equal(command[command.indexOf('--config') + 1], argValue(container, '--config'));
    assert.equal(command[command.indexOf('--admin') + 1], argValue(container, '--admin'));
  });

  test('every file COPY takes from the context exists and is not excluded by .dockerignore', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const sources = contextCopies();
    assert.ok(sources.includes('package-lock.json') && sources.includes('src'));
    for (const source of sources) {
      assert.ok(existsSync(join(REPO_ROOT, source)), `${source} exists`);
      assert.ok(!ignored.includes(source), `${source} is not in .dockerignore`);
    }
    assert.ok(ignored.includes('**/node_modules') && ignored.includes('.git'), 'the host’s node_modules and .git stay out of the context');
  });

  test('the production dependencies include every package the runtime code imports', () => {
    const imported = runtimeImports(join(REPO_ROOT, 'src'), runtimeImports(join(REPO_ROOT, 'bin')));
    assert.ok(imported.size > 5);
    for (const name of imported) assert.ok(name in packageJson.dependencies, `${name} is a dependency (not a devDependency): npm ci --omit=dev installs it`);
  });
});

describe('the image’s files, with production dependencies only', () => {
  let app: string;
  before(() => {
    // /app as the Dockerfile assembles it: the copied sources, and node_modules holding what
    // `npm ci --omit=dev` installs (the lockfile's non-dev packages), linked from this checkout.
    app = mkdtempSync(join(tmpdir(), 'gatehouse-image-'));
    for (const source of contextCopies().filter((s) => s !== 'package-lock.json')) cpSync(join(REPO_ROOT, source), join(app, source), { recursive: true });
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (entry.dev || !/^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) || !existsSync(join(REPO_ROOT, path))) continue;
      mkdirSync(dirname(join(app, path)), { recursive: true });
      symlinkSync(join(REPO_ROOT, path), join(app, path));
    }
  });
  after(() => rmSync(app, { recursive: true, force: true }));

  /** node as the image runs it; --preserve-symlinks so packages resolve their own dependencies
   * inside the linked node_modules, never from this checkout's full one. */
  function nodeArgs(...args: string[]): string[] {
    return ['--preserve-symlinks', join(app, 'bin/gatehouse.js'), ...args];
  }

  test('node_modules leaves the devDependencies out', () => {
    assert.ok(existsSync(join(app, 'node_modules/oidc-provider')));
    assert.ok(!existsSync(join(app, 'node_modules/typescript')) && !existsSync(join(app, 'node_modules/node')) && !existsSync(join(app, 'node_modules/playwright-core')));
  });

  test('`gatehouse check` and the help of every command run', async () => {
    for (const args of [['check', '--config', join(app, 'examples/quickstart')], ['gateway', '--help'], ['identity', '--help']]) {
      const result = await run(process.execPath, nodeArgs(...args));
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    }
  });

  test('a gateway started from them answers the HEALTHCHECK command: ready → 0, keys missing → 1', async () => {
    const [healthcheck] = instructions(finalStage, 'HEALTHCHECK');
    const [command, ...args] = execForm(healthcheck.text.replace(/^.*?CMD\s+/, ''))!;
    assert.equal(command, 'node');
    for (const { jwks, expected } of [
      { jwks: false, expected: 0 },
      { jwks: true, expected: 1 },
    ]) {
      const dir = mkdtempSync(join(tmpdir(), 'gatehouse-image-config-'));
      writeFileSync(join(dir, 'gateway.yaml'), gatewayConfig(jwks));
      const gatewayProcess = spawn(process.execPath, nodeArgs('gateway', '--config', dir, '--workers', '1', '--admin', '127.0.0.1:0'), { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        const adminPort = await startedAdminPort(gatewayProcess);
        const result = await run(process.execPath, args, { GATEHOUSE_HEALTHCHECK_URL: `http://127.0.0.1:${adminPort}/readyz` });
        assert.equal(result.code, expected, jwks ? 'an issuer whose keys never load: not ready' : 'ready');
      } finally {
        gatewayProcess.kill('SIGTERM');
        await new Promise((resolve) => gatewayProcess.once('exit', resolve));
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

/** Loopback, port 0; with `jwks`, an issuer whose key set is on a port nobody listens on. */
function gatewayConfig(jwks: boolean): string {
  const gatewayDocument = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge}
spec:
  addresses: [{value: 127.0.0.1}]
  listeners: [{name: http, port: 0, protocol: HTTP}]
`;
  if (!jwks) return gatewayDocument;
  return `${gatewayDocument}---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt}
spec:
  jwtRules:
  - issuer: https://issuer.test
    jwksUri: http://127.0.0.1:9/jwks
`;
}

function startedAdminPort(child: ReturnType<typeof spawn>): Promise<number> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('exit', (code) => reject(new Error(`gateway exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (text) => {
      const line = JSON.parse(text) as { msg?: string; adminPort?: number };
      if (line.msg === 'gateway started') resolve(line.adminPort!);
    });
  });
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
