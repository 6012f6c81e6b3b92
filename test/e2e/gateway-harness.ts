// Shared set-up for the gateway end-to-end tests: a temp config directory, a real JWKS server, a
// real upstream that echoes what it received, and the gateway started as users start it (with
// every listener and the admin listener on port 0 of 127.0.0.1).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../src/gateway/start-gateway.ts';
import { startJwksServer, type JwksServer } from '../authn/support/jwks-server.ts';
import { makeSigningKey, mint, nowSeconds, type SigningKey } from '../authn/support/tokens.ts';
import { edgeRoutingDocuments, yamlDocuments, type PathRoute } from '../support/gateway-documents.ts';

export const ISSUER = 'https://issuer.test';
export const AUDIENCE = 'api';

export interface EchoedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface EchoUpstream {
  readonly url: string;
  /** Every request it received, oldest first. */
  readonly received: EchoedRequest[];
  close(): Promise<void>;
}

/** An upstream answering 200 with JSON {upstream: name, method, url, headers}. */
export async function startEchoUpstream(name = 'echo'): Promise<EchoUpstream> {
  const received: EchoedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    received.push(seen);
    req.resume();
    req.on('end', () => {
      const body = JSON.stringify({ upstream: name, ...seen });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type RouteSpec = PathRoute;

export interface ConfigSpec {
  upstreams: Record<string, string>; // backend name → URL
  routes: RouteSpec[];
  /** With a JWKS URI, a RequestAuthentication (issuer ISSUER, audience AUDIENCE) applies to every route. */
  jwksUri?: string;
  forwardOriginalToken?: boolean;
  /** gatehouse.dev/login-url annotation: browsers are redirected there instead of a 401. */
  loginUrl?: string;
}

/** Multi-document YAML the way a user writes it: Gateway, Backends, HTTPRoutes, RequestAuthentication. */
export function gatewayYaml(spec: ConfigSpec): string {
  const documents = edgeRoutingDocuments({ backends: spec.upstreams, routes: spec.routes });
  if (spec.jwksUri !== undefined) {
    const annotations = [`gatehouse.dev/realm: edge-realm`];
    if (spec.loginUrl !== undefined) annotations.push(`gatehouse.dev/login-url: "${spec.loginUrl}"`);
    documents.push(`apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: jwt
  annotations:
${annotations.map((line) => `    ${line}`).join('\n')}
spec:
  jwtRules:
  - issuer: "${ISSUER}"
    audiences: [${AUDIENCE}]
    jwksUri: "${spec.jwksUri}"
    outputPayloadToHeader: x-jwt-payload
    outputClaimToHeaders: [{header: x-jwt-sub, claim: sub}]
    forwardOriginalToken: ${spec.forwardOriginalToken ?? false}`);
  }
  return yamlDocuments(documents);
}

export interface Harness {
  dir: string;
  configPath: string;
  logPath: string;
  jwks: JwksServer;
  key: SigningKey;
  echo: EchoUpstream;
  gateway: RunningGateway;
  /** Base URL of the gateway's `edge/http` listener. */
  baseUrl: string;
  adminUrl: string;
  token(claims?: Record<string, unknown>): Promise<string>;
  writeConfig(yaml: string): Promise<void>;
  /** The log file's JSON lines so far (flushed by the async destination). */
  logLines(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<ConfigSpec> {
  jwksDown?: boolean;
  gatewayOptions?: Partial<GatewayOptions>;
  /** The whole config instead of gatewayYaml(): given the echo upstream and JWKS URLs. */
  configYaml?: (urls: { echo: string; jwksUri: string }) => string;
}

export async function startHarness(overrides: HarnessOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-e2e-'));
  const key = await makeSigningKey('k1');
  const jwks = await startJwksServer([key.publicJwk]);
  jwks.down = overrides.jwksDown ?? false;
  const echo = await startEchoUpstream();
  const configPath = join(dir, 'gateway.yaml');
  const logPath = join(dir, 'gateway.log');
  const yaml =
    overrides.configYaml?.({ echo: echo.url, jwksUri: jwks.jwksUri }) ??
    gatewayYaml({
      upstreams: { echo: echo.url },
      routes: [{ name: 'api', pathPrefix: '/api', backend: 'echo' }],
      jwksUri: jwks.jwksUri,
      ...overrides,
    });
  await writeFile(configPath, yaml);
  let gateway: RunningGateway;
  try {
    gateway = await startGateway({
      configPath,
      adminAddress: '127.0.0.1:0',
      logDestination: logPath,
      watch: false,
      listenerOverrides: { port: 0, address: '127.0.0.1' },
      ...overrides.gatewayOptions,
    });
  } catch (error) {
    await Promise.all([jwks.close(), echo.close()]);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const listener = gateway.listeners['edge/http'] ?? Object.values(gateway.listeners)[0];
  return {
    dir,
    configPath,
    logPath,
    jwks,
    key,
    echo,
    gateway,
    baseUrl: `http://127.0.0.1:${listener.port}`,
    adminUrl: `http://127.0.0.1:${gateway.adminPort}`,
    token: (claims = {}) => mint(key, { iss: ISSUER, aud: AUDIENCE, sub: 'alice', exp: nowSeconds() + 600, ...claims }),
    writeConfig: (yaml) => writeFile(configPath, yaml),
    logLines: async () => {
      const text = await readFile(logPath, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    close: async () => {
      await gateway.close();
      await Promise.all([jwks.close(), echo.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns true (reloads and socket closes complete asynchronously). */
export async function eventually(probe: () => Promise<boolean>, attempts = 150): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

/** Polls the log until a line satisfies `predicate` (the destination writes asynchronously). */
export async function waitForLogLine(
  harness: Harness,
  predicate: (line: Record<string, unknown>) => boolean,
  attempts = 100,
): Promise<Record<string, unknown> | undefined> {
  for (let i = 0; i < attempts; i++) {
    const found = (await harness.logLines()).find(predicate);
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return undefined;
}

/** A plain node:http GET: the path goes out exactly as written (fetch would resolve `..`) and
 * the Host header can be chosen (fetch forbids it). */
export function rawGet(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/`, { path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
