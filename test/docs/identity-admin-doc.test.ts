// docs/identity-admin.md and docs/api-tokens.md are real: the tour runs as written (bash, with
// `gatehouse` being this checkout's CLI), and the curl examples succeed (curl -f) against an
// identity service started from the page's own IdentityService document on a free port.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadIdentityConfig } from '../../src/identity/identity-config.ts';
import { startIdentityService } from '../../src/identity/start-identity.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const ENV = {
  GATEHOUSE_IDENTITY_KEK: 'a long passphrase, or 32 random bytes as base64',
  GATEHOUSE_ADMIN_TOKEN: 'admin-token-0123456789abcdef',
  ALICE_PASSWORD: 'alice-password',
  BOB_PASSWORD: 'bob-password',
};

async function page(name: string): Promise<string> {
  return readFile(new URL(`../../docs/${name}`, import.meta.url), 'utf8');
}

function blocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((match) => match[1]);
}

/** Runs a shell script with `gatehouse` = this checkout's CLI and curl failing on HTTP errors. */
function bash(script: string, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const prelude = `set -euo pipefail\ngatehouse() { "${process.execPath}" "${MAIN}" "$@"; }\ncurl() { command curl -f -sS "$@"; }\n`;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', prelude + script], { cwd, env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-identity-admin-doc-'));
  const yaml = blocks(await page('identity-admin.md'), 'yaml').find((block) => block.includes('kind: IdentityService'));
  assert.ok(yaml, 'the page has an IdentityService example');
  await writeFile(join(dir, 'identity.yaml'), yaml);
});
after(() => rm(dir, { recursive: true, force: true }));

describe('docs/identity-admin.md', () => {
  it('the quick tour runs as written', async () => {
    const tour = blocks(await page('identity-admin.md'), 'sh').find((block) => block.includes('users add alice'));
    assert.ok(tour);
    const result = await bash(tour, dir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^USERNAME +STATUS +ROLES +GROUPS +EMAIL +CREATED\nalice +active +user +staff +- +\S+\nbob +active +admin +- +- +\S+\n/m);
    assert.match(await readFile(join(dir, 'reports.secret'), 'utf8'), /^[A-Za-z0-9_-]{43}\n$/);
    assert.match(await readFile(join(dir, 'alice.token'), 'utf8'), /^gat_[0-9A-Za-z]{36}\n$/);
    assert.match(result.stdout, /disabled user bob\n$/);
  });

  it('the admin API and account API curl examples succeed against a running service', async () => {
    const config = await loadIdentityConfig(join(dir, 'identity.yaml'), ENV);
    config.listen.port = 0;
    const service = await startIdentityService(config);
    try {
      // The jti the page revokes, as if the service had issued it.
      await service.store.issuedTokens.record({ jti: 'r9MrA-oxEBoUVIwcfe9CfO78L48FrwcSHlhIoHhpI_I', grantId: undefined, clientId: 'reports', accountId: undefined, expiresAt: Math.floor(Date.now() / 1000) + 600 });
      const examples = [
        ...blocks(await page('identity-admin.md'), 'sh').filter((block) => block.includes('/admin/')),
        ...blocks(await page('api-tokens.md'), 'sh').filter((block) => block.includes('127.0.0.1:9000/api/tokens')),
      ]
        .map((block) => block.split('\n').filter((line) => !line.trimStart().startsWith('#')).join('\n'))
        .filter((block) => !block.includes('…'));
      assert.equal(examples.length, 2);
      for (const example of examples) {
        const result = await bash(example.replaceAll('http://127.0.0.1:9000', service.url), dir);
        assert.equal(result.code, 0, `${example}\n${result.stderr}`);
      }
      assert.equal((await service.store.users.findByUsername('carol'))?.disabled, true);
      assert.ok(await service.store.clients.find('billing'));
      const alice = await service.store.users.findByUsername('alice');
      assert.ok((await service.store.apiTokens.list(alice?.id)).some((token) => token.name === 'ci'));
    } finally {
      await service.close();
    }
  });
});
