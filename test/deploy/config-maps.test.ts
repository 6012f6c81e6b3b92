// The configurations in deploy/kubernetes are accepted by the programs that read them, in the
// file layout the pods see: the gateway ConfigMap plus the Secret files docs/deploy.md tells the
// operator to create, projected as the kubelet does, pass `gatehouse check`; the identity
// ConfigMap loads with the environment its Deployment sets. And the two agree with each other.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, basename } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { loadIdentityConfig } from '../../src/identity/identity-config.ts';
import { runCli } from '../cli/run-cli.ts';
import { writeConfigMapVolume } from '../e2e/support/configmap-volume.ts';
import { shellBlock } from './support/deploy-doc.ts';
import { argValue, ManifestSet, mountedFiles, type Workload } from './support/manifests.ts';

const set = new ManifestSet();
const gateway = set.deployment('gatehouse-gateway');
const identity = set.deployment('gatehouse-identity');
const postgres = set.statefulSets.find((s) => s.metadata.name === 'gatehouse-postgres')!;

type Doc = { kind: string; metadata: { name: string }; spec: Record<string, any> };
const gatewayDocuments: Doc[] = Object.values(set.configMap('gatehouse-gateway-config').data).flatMap((text) =>
  parseAllDocuments(text).map((document) => document.toJS() as Doc),
);
const ofKind = (kind: string) => gatewayDocuments.filter((document) => document.kind === kind);

let root: string;
let operatorDir: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'gatehouse-deploy-'));
  operatorDir = join(root, 'operator');
  // What the operator has: a certificate for the two public hosts, then the docs' commands.
  execFileSync('mkdir', ['-p', operatorDir]);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=api.example.com',
      '-addext', 'subjectAltName=DNS:api.example.com,DNS:id.example.com', '-keyout', 'tls.key', '-out', 'tls.crt'],
    { cwd: operatorDir, stdio: 'ignore' },
  );
  execFileSync('bash', ['-euo', 'pipefail', '-c', shellBlock('gateway secret files')], {
    cwd: operatorDir,
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
  });
});
after(() => rm(root, { recursive: true, force: true }));

/** Lays out the container's volumes under `podRoot` as the kubelet would; Secret keys are read
 * from the operator's files of the same name (or left out). Returns `--config` inside podRoot. */
async function mountPod(podRoot: string, workload: Workload, options: { withSecrets: boolean }): Promise<string> {
  const container = workload.spec.template.spec.containers[0];
  const volumes = new Map<string, Record<string, string>>();
  for (const file of mountedFiles(set, workload, container)) {
    const content = file.from === 'configMap' ? file.content : options.withSecrets ? await readFile(join(operatorDir, file.key), 'utf8') : undefined;
    if (content === undefined) continue;
    const dir = join(podRoot, dirname(file.path));
    volumes.set(dir, { ...volumes.get(dir), [basename(file.path)]: content });
  }
  for (const [dir, files] of volumes) await writeConfigMapVolume(dir, files);
  return join(podRoot, argValue(container, '--config')!);
}

/** The container's environment as Kubernetes builds it: secretKeyRef from `secrets`, and
 * `$(NAME)` in a value expanded from the variables defined before it. */
function containerEnv(workload: Workload, secrets: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of workload.spec.template.spec.containers[0].env ?? []) {
    if (variable.valueFrom) {
      const { name, key } = variable.valueFrom.secretKeyRef;
      env[variable.name] = secrets[`${name}/${key}`];
    } else {
      env[variable.name] = variable.value!.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole);
    }
  }
  return env;
}

/** Secret values of the forms docs/deploy.md generates (`openssl rand -hex 24`, `-base64 32`, `-hex 32`). */
function identitySecrets(): Record<string, string> {
  return {
    'gatehouse-postgres/password': randomBytes(24).toString('hex'),
    'gatehouse-identity/key-encryption-key': randomBytes(32).toString('base64'),
    'gatehouse-identity/admin-token': randomBytes(32).toString('hex'),
    'gatehouse-identity/reporting-job-client-secret': randomBytes(32).toString('hex'),
  };
}

function containerPorts(workload: Workload): number[] {
  return (workload.spec.template.spec.containers[0].ports ?? []).map((port) => port.containerPort);
}

describe('deploy/kubernetes ConfigMaps', () => {
  test('the gateway ConfigMap with the documented Secret files passes `gatehouse check`, mounted as in the pod', async () => {
    const configPath = await mountPod(join(root, 'gateway-pod'), gateway, { withSecrets: true });
    const result = await runCli(['check', '--config', configPath]);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Warnings \(0\)$/m);
    const listenerPorts = [...result.stdout.matchAll(/^ {2}edge\/\S+ +HTTPS? .*:(\d+)$/gm)].map((match) => Number(match[1]));
    assert.deepEqual(listenerPorts.sort(), containerPorts(gateway).filter((port) => port !== 9901).sort(), 'listeners = container ports (admin aside)');
  });

  test('without the Secret files the same ConfigMap is refused, naming what is missing', async () => {
    const configPath = await mountPod(join(root, 'gateway-pod-no-secret'), gateway, { withSecrets: false });
    const result = await runCli(['check', '--config', configPath]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /edge-tls/);
    assert.match(result.stderr, /internal-token-key\.json/);
  });

  test('no ConfigMap holds a secret: no Secret document, identity secrets come from the environment', () => {
    assert.deepEqual(ofKind('Secret'), []);
    const [service] = parseAllDocuments(set.configMap('gatehouse-identity-config').data['identity.yaml']).map((d) => d.toJS());
    const secretFields = [service.spec.keyEncryptionKey, service.spec.adminToken, service.spec.storage.postgres.url, ...service.spec.clients.map((c: any) => c.clientSecret).filter(Boolean)];
    for (const field of secretFields) assert.deepEqual(Object.keys(field), ['env']);
  });

  test('the identity ConfigMap loads with the environment its Deployment sets', async () => {
    const configPath = await mountPod(join(root, 'identity-pod'), identity, { withSecrets: false });
    const secrets = identitySecrets();
    const config = await loadIdentityConfig(configPath, containerEnv(identity, secrets));
    assert.deepEqual(config.listen, { host: '0.0.0.0', port: containerPorts(identity)[0] });
    assert.equal(config.secureCookies, true);
    assert.equal(config.storage.driver, 'postgres');
    const database = new URL(config.storage.driver === 'postgres' ? config.storage.url : '');
    const postgresEnv = Object.fromEntries((postgres.spec.template.spec.containers[0].env ?? []).map((e) => [e.name, e.value]));
    assert.equal(database.hostname, 'gatehouse-postgres');
    assert.equal(database.username, postgresEnv.POSTGRES_USER);
    assert.equal(database.pathname, `/${postgresEnv.POSTGRES_DB}`);
    assert.equal(database.password, secrets['gatehouse-postgres/password'], 'the password from the Secret, expanded by Kubernetes');
    assert.equal(config.adminToken, secrets['gatehouse-identity/admin-token']);
    assert.equal(config.clients.find((c) => c.clientId === 'reporting-job')?.clientSecret, secrets['gatehouse-identity/reporting-job-client-secret']);
  });

  test('the gateway trusts what the identity service issues, and hears its revocations', async () => {
    const configPath = await mountPod(join(root, 'identity-pod-agreement'), identity, { withSecrets: false });
    const config = await loadIdentityConfig(configPath, containerEnv(identity, identitySecrets()));
    const [authentication] = ofKind('RequestAuthentication');
    const [rule] = authentication.spec.jwtRules;
    assert.equal(rule.issuer, config.issuer, 'jwtRules issuer = the identity issuer');
    const issuerSettings = ofKind('JWTIssuer').find((i) => i.spec.issuer === config.issuer);
    assert.ok(issuerSettings?.spec.algorithms.includes(config.keys.algorithm), 'the pinned algorithms include the one identity signs with');
    for (const audience of rule.audiences) assert.ok(config.resources.some((r) => r.identifier === audience), `audience ${audience} is an identity resource`);
    // Keys come from the identity Service; oidc-provider serves them at /jwks (its default route).
    const jwks = new URL(rule.jwksUri);
    assert.equal(jwks.pathname, '/jwks');
    assert.equal(Number(jwks.port), config.listen.port);
    // Browsers reach the issuer's host through the gateway, routed to the identity Backend.
    const issuerHost = new URL(config.issuer).hostname;
    const route = ofKind('HTTPRoute').find((r) => (r.spec.hostnames ?? []).includes(issuerHost));
    assert.equal(route?.spec.rules[0].backendRefs[0].name, 'gatehouse-identity');
    const backend = ofKind('Backend').find((b) => b.metadata.name === 'gatehouse-identity');
    assert.equal(new URL(backend!.spec.endpoints[0].url).port, String(config.listen.port));
    const [feed] = ofKind('RevocationFeed');
    assert.equal(feed.spec.redis.url, config.revocation?.redisUrl);
    assert.equal(feed.spec.redis.keyPrefix, config.revocation?.keyPrefix);
    assert.deepEqual(feed.spec.issuers, [config.issuer]);
  });
});
