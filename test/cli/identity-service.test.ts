// `gatehouse identity --config FILE` runs the service in the foreground: it logs where it
// listens, serves OpenID Connect discovery and its JWKS, and stops cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { MAIN_SCRIPT } from './run-cli.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-cli-identity-service-'));
});
after(() => rm(dir, { recursive: true, force: true }));

it('serves discovery and the JWKS, then exits 0 on SIGTERM', async () => {
  const config = join(dir, 'identity.yaml');
  await writeFile(config, `apiVersion: gatehouse.dev/v1alpha1
kind: IdentityService
metadata: { name: identity }
spec:
  issuer: http://127.0.0.1:9000
  listen: { port: 0 }
  keyEncryptionKey: { value: a passphrase that is long enough }
  keys: { algorithm: ES256 }
`);
  const child = spawn(process.execPath, [MAIN_SCRIPT, 'identity', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let output = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output);
        if (match) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code} before listening: ${output}`)));
    });
    const discovery = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    assert.equal(discovery.issuer, 'http://127.0.0.1:9000');
    const jwks = (await (await fetch(`${url}${new URL(discovery.jwks_uri).pathname}`)).json()) as { keys: Array<{ kid: string; alg: string; d?: string }> };
    assert.equal(jwks.keys.length, 2, 'the active and the next key are published');
    assert.ok(jwks.keys.every((key) => key.alg === 'ES256' && key.d === undefined));
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
