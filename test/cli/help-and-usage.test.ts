import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { runCli } from './run-cli.ts';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('gatehouse --help everywhere', () => {
  const helpCases: { args: string[]; usage: string }[] = [
    { args: ['--help'], usage: 'Usage: gatehouse <command>' },
    { args: ['-h'], usage: 'Usage: gatehouse <command>' },
    { args: ['help'], usage: 'Usage: gatehouse <command>' },
    { args: ['gateway', '--help'], usage: 'Usage: gatehouse gateway --config PATH' },
    { args: ['check', '--help'], usage: 'Usage: gatehouse check --config PATH' },
    { args: ['demo', '--help'], usage: 'Usage: gatehouse demo' },
    { args: ['token', '--help'], usage: 'Usage: gatehouse token <subcommand>' },
    { args: ['token', 'decode', '--help'], usage: 'Usage: gatehouse token decode TOKEN' },
    { args: ['token', 'mint', '-h'], usage: 'Usage: gatehouse token mint --key JWK_FILE --claims JSON' },
    { args: ['keys', '--help'], usage: 'Usage: gatehouse keys <subcommand>' },
    { args: ['keys', 'generate', '--help'], usage: 'Usage: gatehouse keys generate --alg RS256|ES256|EdDSA' },
  ];
  for (const { args, usage } of helpCases) {
    it(`${args.join(' ')} → usage on stdout, exit 0`, async () => {
      const result = await runCli(args);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.startsWith(usage), result.stdout);
      assert.equal(result.stderr, '');
    });
  }

  it('the top-level help lists every command', async () => {
    const { stdout } = await runCli(['--help']);
    for (const command of ['gateway', 'check', 'demo', 'token', 'keys']) assert.match(stdout, new RegExp(`^  ${command} `, 'm'));
  });

  it('--version prints the package version', async () => {
    const result = await runCli(['--version']);
    assert.equal(result.stdout, `${version}\n`);
  });
});

describe('usage errors exit 2 with a pointer to the right --help', () => {
  const usageCases: { args: string[]; stderr: RegExp }[] = [
    { args: [], stderr: /^Usage: gatehouse <command>/ },
    { args: ['nope'], stderr: /unknown command "nope"\nRun "gatehouse --help"/ },
    { args: ['check'], stderr: /missing required option --config\nRun "gatehouse check --help"/ },
    { args: ['check', '--config'], stderr: /--config.*argument missing/ },
    { args: ['check', '--bogus'], stderr: /Unknown option '--bogus'/ },
    { args: ['gateway'], stderr: /missing required option --config/ },
    { args: ['gateway', '--config', 'x.yaml', '--workers', '0'], stderr: /--workers must be a whole number of at least 1/ },
    { args: ['gateway', '--config', 'x.yaml', '--log-level', 'loud'], stderr: /--log-level must be one of/ },
    { args: ['demo', '--log-level', 'chatty'], stderr: /--log-level must be one of.*\nRun "gatehouse demo --help"/ },
    { args: ['token'], stderr: /missing subcommand \(decode, mint\)\nRun "gatehouse token --help"/ },
    { args: ['token', 'verify'], stderr: /unknown subcommand "verify"/ },
    { args: ['token', 'mint', '--claims', '{}'], stderr: /missing required option --key\nRun "gatehouse token mint --help"/ },
    { args: ['keys', 'generate'], stderr: /missing required option --alg/ },
    { args: ['keys', 'generate', '--alg', 'HS256'], stderr: /--alg must be one of RS256, ES256, EdDSA/ },
    { args: ['keys', 'generate', '--alg', 'ES256', '--kid', '../escape'], stderr: /--kid may contain only/ },
  ];
  for (const { args, stderr } of usageCases) {
    it(`gatehouse ${args.join(' ') || '(nothing)'}`, async () => {
      const result = await runCli(args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, stderr);
      assert.equal(result.stdout, '');
    });
  }
});

describe('bin/gatehouse.js (package.json "bin")', () => {
  const launcher = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));

  it('runs the CLI under Node 24', () => {
    const result = spawnSync(process.execPath, [launcher, '--version'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, `${version}\n`);
  });

  // The README's promise: it works where the system node is older (this machine has Node 20).
  const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => existsSync(path));
  const systemMajor = systemNode ? Number(spawnSync(systemNode, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.split('.')[0]) : 0;
  const skip = systemNode === undefined || systemMajor >= 24 ? 'no system node older than 24 on this machine' : false;
  it('re-executes with the pinned Node 24 when started by an older node, passing exit codes through', { skip }, () => {
    const ok = spawnSync(systemNode!, [launcher, 'token', 'decode', '--help'], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^Usage: gatehouse token decode/);
    const usage = spawnSync(systemNode!, [launcher, 'nope'], { encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /unknown command "nope"/);
  });
});
