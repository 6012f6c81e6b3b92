// Writes YAML files into a fresh temporary directory for one test, and removes it afterwards.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { ConfigError } from '../../../src/config/config-error.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import type { GatewayModel } from '../../../src/model/gateway-model.ts';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'config');

export function writeTempConfig(t: TestContext, files: Record<string, string>, fixtures: string[] = []): string {
  const directory = mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(directory, name), content);
  for (const name of fixtures) copyFileSync(join(FIXTURES, name), join(directory, name));
  return directory;
}

/** Loads `yaml` as `config.yaml` next to copies of the named fixture files. */
export function loadYaml(t: TestContext, yaml: string, fixtures: string[] = []): GatewayModel {
  return loadConfig(writeTempConfig(t, { 'config.yaml': yaml }, fixtures));
}

/** What config load refuses in `yaml`, one `Kind/name path: message` per problem; [] when it loads. */
export function loadProblems(t: TestContext, yaml: string): string[] {
  try {
    loadYaml(t, yaml);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.kind}/${problem.name} ${problem.path}: ${problem.message}`);
    throw error;
  }
  return [];
}

/** Common documents tests build on. */
export const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge}
spec:
  listeners:
  - {name: http, port: 8080, protocol: HTTP}
`;

export const BACKEND = `apiVersion: gatehouse.dev/v1alpha1
kind: Backend
metadata: {name: api}
spec:
  endpoints: [{url: "http://127.0.0.1:9100"}]
`;
