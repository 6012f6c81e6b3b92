// The identity service as users run it (`gatehouse identity --config FILE`), pinned to one core,
// made ready for the two scenarios: the client-credentials client exists from the config; a user
// is created through the admin API and one authorization-code flow gives the refresh token that
// introspection looks up in the store on every request (a JWT access token is not stored, so it
// cannot be introspected: oidc-provider answers `active: false`).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort, spawnManaged, waitForPort, type ManagedProcess } from '../process.ts';
import { obtainRefreshToken } from './code-flow.ts';
import { BENCH_RESOURCE, basicAuthorization, writeIdentityBenchConfig, type IdentityBenchServiceOptions } from './service-config.ts';

const GATEHOUSE_CLI = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));

export type IdentityOperation = 'token' | 'introspection';

/** oidc-provider's default routes, which the identity service keeps. */
export const OPERATION_PATHS: Readonly<Record<IdentityOperation, string>> = { token: '/token', introspection: '/token/introspection' };

export interface RunningIdentity {
  readonly url: string;
  readonly process: ManagedProcess;
  /** One wrk request file (form-post.lua) per operation. */
  readonly requestFiles: Record<IdentityOperation, string>;
}

export async function startBenchIdentity(options: Omit<IdentityBenchServiceOptions, 'port'> & { cpus?: string }): Promise<RunningIdentity> {
  const port = await findFreePort();
  const service = writeIdentityBenchConfig({ ...options, port });
  const name = `identity-${options.store}-${options.algorithm}`;
  const proc = spawnManaged({
    name,
    command: process.execPath,
    args: [GATEHOUSE_CLI, 'identity', '--config', service.configFile, '--log-level', 'warn'],
    cpus: options.cpus,
    logFile: join(options.dir, `${name}.log`),
  });
  try {
    await waitForPort(proc, port, 60_000);
    const url = `http://127.0.0.1:${port}`;
    const username = 'bench-user';
    const password = randomBytes(18).toString('base64url');
    const created = await fetch(`${url}/admin/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${service.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username, password, roles: ['user'] }),
    });
    if (created.status !== 201) throw new Error(`${name}: creating the bench user answered ${created.status}: ${await created.text()}`);
    const refreshToken = await obtainRefreshToken({ base: url, client: service.web, username, password, scope: 'openid offline_access orders:read', resource: BENCH_RESOURCE });

    const token = { authorization: basicAuthorization(service.m2m), body: new URLSearchParams({ grant_type: 'client_credentials', resource: BENCH_RESOURCE, scope: 'orders:read' }).toString(), expect: '"access_token"' };
    const introspection = { authorization: basicAuthorization(service.web), body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token' }).toString(), expect: '"active":true' };
    const requestFiles = {
      token: await checkedRequestFile(url, OPERATION_PATHS.token, token, join(options.dir, `${name}-token.req`)),
      introspection: await checkedRequestFile(url, OPERATION_PATHS.introspection, introspection, join(options.dir, `${name}-introspection.req`)),
    };
    return { url, process: proc, requestFiles };
  } catch (error) {
    await proc.stop();
    throw error;
  }
}

/** Sends the request once (it must succeed with the expected body) and writes it for wrk. */
async function checkedRequestFile(url: string, path: string, request: { authorization: string; body: string; expect: string }, file: string): Promise<string> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: request.authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: request.body,
  });
  const text = await response.text();
  if (response.status !== 200 || !text.includes(request.expect)) {
    throw new Error(`POST ${path} answered ${response.status} without ${request.expect} — the benchmark would measure a refusal`);
  }
  writeFileSync(file, `${request.authorization}\n${request.body}\n${request.expect}\n`, { mode: 0o600 });
  return file;
}
