// `gatehouse ca`: the internal certificate authority (src/pki/) on a directory (--dir) or in the
// identity service's store (--config IDENTITY.yaml). Scripts rely on this contract: `init
// --dir` writes DIR/bundle.pem; `issue` writes PREFIX.crt.pem (leaf, then intermediate) and
// PREFIX.key.pem (0600, not with --csr) and prints only the serial on stdout; `crl` and `bundle`
// print PEM on stdout; `join-token` prints only the token.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isDuration, parseDurationSeconds } from '../config/duration.ts';
import { currentCrl } from '../pki/crl.ts';
import { initCertificateAuthority } from '../pki/create-ca.ts';
import { issueCertificate } from '../pki/issue-certificate.ts';
import { createJoinToken } from '../pki/join-tokens.ts';
import { joinPem } from '../pki/pem-blocks.ts';
import { PkiError } from '../pki/pki-error.ts';
import { revokeCertificate } from '../pki/revoke.ts';
import { rotateAuthority } from '../pki/trust-bundle.ts';
import { CA_HELP, CA_SUBCOMMAND_HELP } from './ca-help.ts';
import { listIssuedCertificates } from './ca-list.ts';
import { TARGET_OPTIONS, withCaTarget } from './ca-target.ts';
import { CommandFailure, UsageError } from './cli-errors.ts';
import { parseCommandArgs, requireOption } from './parse-command-args.ts';
import type { CommandRunner } from './command.ts';
import { runSubcommand } from './subcommands.ts';

/**
 * node:util parseArgs keeps only the last value of a repeated string flag unless it is declared
 * `multiple`, which the shared parser does not offer; collect the repeated `--dns` here.
 */
function takeRepeated(command: string, args: string[], flag: string): { values: string[]; rest: string[] } {
  const values: string[] = [];
  const rest: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === `--${flag}`) {
      const value = args[++index];
      if (value === undefined || value.startsWith('--')) throw new UsageError(command, `option --${flag} needs a value`);
      values.push(value);
    } else if (arg.startsWith(`--${flag}=`)) {
      values.push(arg.slice(flag.length + 3));
    } else {
      rest.push(arg);
    }
  }
  return { values, rest };
}

function parseTtl(command: string, text: string): number {
  const seconds = isDuration(text) ? parseDurationSeconds(text) : 0;
  if (seconds <= 0) throw new UsageError(command, `--ttl must be a duration such as 90s, 15m, 24h or 1h30m (got "${text}")`);
  return seconds;
}

async function readCsr(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CommandFailure('ERR_CSR_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`);
  }
}

async function runInit(args: string[]): Promise<number> {
  const command = 'ca init';
  const parsed = parseCommandArgs(args, { command, help: CA_SUBCOMMAND_HELP.init, options: { ...TARGET_OPTIONS, 'trust-domain': { type: 'string' } } });
  if (!parsed) return 0;
  const trustDomain = requireOption(command, parsed.values['trust-domain'], 'trust-domain');
  return withCaTarget(command, parsed.values, { mustExist: false }, async (target) => {
    if (await target.store.isInitialized()) throw new PkiError('ERR_CA_EXISTS', `${target.label} already holds a CA; use "gatehouse ca rotate" to replace its keys`);
    const passphrase = await target.passphrase({ generateIfMissing: true });
    const config = await initCertificateAuthority(target.store, { trustDomain, passphrase });
    process.stdout.write(`CA created for trust domain ${config.trustDomain}\ntrust bundle: ${target.bundleLocation}\n`);
    return 0;
  });
}

async function runIssue(args: string[]): Promise<number> {
  const command = 'ca issue';
  const dns = takeRepeated(command, args, 'dns');
  const parsed = parseCommandArgs(dns.rest, {
    command,
    help: CA_SUBCOMMAND_HELP.issue,
    options: { ...TARGET_OPTIONS, 'spiffe-id': { type: 'string' }, ttl: { type: 'string' }, out: { type: 'string' }, csr: { type: 'string' } },
  });
  if (!parsed) return 0;
  const spiffeId = requireOption(command, parsed.values['spiffe-id'], 'spiffe-id');
  const out = resolve(requireOption(command, parsed.values.out, 'out'));
  const ttlSeconds = parsed.values.ttl === undefined ? undefined : parseTtl(command, parsed.values.ttl);
  const csrPem = parsed.values.csr === undefined ? undefined : await readCsr(parsed.values.csr);
  const issued = await withCaTarget(command, parsed.values, { mustExist: true }, async (target) =>
    issueCertificate(target.store, await target.passphrase(), { spiffeId, dnsNames: dns.values, ttlSeconds, csrPem }),
  );
  await mkdir(dirname(out), { recursive: true });
  if (issued.privateKeyPem !== undefined) {
    const keyFile = `${out}.key.pem`;
    await writeFile(keyFile, issued.privateKeyPem, { mode: 0o600 });
    // writeFile's mode applies only to a new file; an existing one keeps its permissions otherwise.
    await chmod(keyFile, 0o600);
  }
  await writeFile(`${out}.crt.pem`, issued.chainPem);
  process.stdout.write(`${issued.serial}\n`);
  return 0;
}

async function runRevoke(args: string[]): Promise<number> {
  const command = 'ca revoke';
  const parsed = parseCommandArgs(args, { command, help: CA_SUBCOMMAND_HELP.revoke, options: TARGET_OPTIONS, positionals: { min: 1, max: 1, names: 'SERIAL' } });
  if (!parsed) return 0;
  return withCaTarget(command, parsed.values, { mustExist: true }, async (target) => {
    const { record, newlyRevoked } = await revokeCertificate(target.store, await target.passphrase(), parsed.positionals[0]);
    process.stdout.write(newlyRevoked ? `revoked ${record.serial}\n` : `${record.serial} was already revoked at ${record.revokedAt}\n`);
    return 0;
  });
}

async function runCrl(args: string[]): Promise<number> {
  const command = 'ca crl';
  const parsed = parseCommandArgs(args, { command, help: CA_SUBCOMMAND_HELP.crl, options: TARGET_OPTIONS });
  if (!parsed) return 0;
  return withCaTarget(command, parsed.values, { mustExist: true }, async (target) => {
    process.stdout.write(await currentCrl(target.store, await target.passphrase()));
    return 0;
  });
}

async function runBundle(args: string[]): Promise<number> {
  const command = 'ca bundle';
  const parsed = parseCommandArgs(args, { command, help: CA_SUBCOMMAND_HELP.bundle, options: TARGET_OPTIONS });
  if (!parsed) return 0;
  return withCaTarget(command, parsed.values, { mustExist: true }, async (target) => {
    process.stdout.write(joinPem(await target.store.readBundle()));
    return 0;
  });
}

async function runList(args: string[]): Promise<number> {
  const command = 'ca list';
  const parsed = parseCommandArgs(args, { command, help: CA_SUBCOMMAND_HELP.list, options: TARGET_OPTIONS });
  if (!parsed) return 0;
  return withCaTarget(command, parsed.values, { mustExist: true }, async (target) => {
    process.stdout.write(await listIssuedCertificates(target.store));
    return 0;
  });
}

async function runRotate(args: string[]): Promise<number> {
  const command = 'ca rotate';
  const parsed = parseCommandArgs(args, { command, help: CA_SUBCOMMAND_HELP.rotate, options: { ...TARGET_OPTIONS, root: { type: 'boolean' } } });
  if (!parsed) return 0;
  return withCaTarget(command, parsed.values, { mustExist: true }, async (target) => {
    const result = await rotateAuthority(target.store, await target.passphrase(), { newRoot: parsed.values.root === true });
    process.stdout.write(`signing intermediate: ${result.intermediateSerial}\nroot: ${result.rootSerial}\ntrust bundle: ${target.bundleLocation}\n`);
    return 0;
  });
}

async function runJoinToken(args: string[]): Promise<number> {
  const command = 'ca join-token';
  const dns = takeRepeated(command, args, 'dns');
  const parsed = parseCommandArgs(dns.rest, {
    command,
    help: CA_SUBCOMMAND_HELP['join-token'],
    options: { config: { type: 'string' }, 'spiffe-id': { type: 'string' }, ttl: { type: 'string' } },
  });
  if (!parsed) return 0;
  const config = requireOption(command, parsed.values.config, 'config');
  const spiffeId = requireOption(command, parsed.values['spiffe-id'], 'spiffe-id');
  const ttlSeconds = parsed.values.ttl === undefined ? undefined : parseTtl(command, parsed.values.ttl);
  return withCaTarget(command, { config }, { mustExist: true }, async (target) => {
    const { trustDomain } = await target.store.readConfig();
    const documents = target.identity!.store.documents;
    const created = await createJoinToken(documents, { spiffeId, dnsNames: dns.values, ttlSeconds, trustDomain });
    process.stdout.write(`${created.token}\n`);
    process.stderr.write(`join token for ${created.spiffeId}, single use, expires ${new Date(created.expiresAt * 1000).toISOString()}\n`);
    return 0;
  });
}

// PKI failures carry their own stable codes; the CLI reports them as command failures (exit 1).
function reportingPkiErrors(runner: CommandRunner): CommandRunner {
  return async (args) => {
    try {
      return await runner(args);
    } catch (error) {
      if (error instanceof PkiError) throw new CommandFailure(error.code, error.message);
      throw error;
    }
  };
}

export function runCa(args: string[]): Promise<number> {
  const subcommands = { init: runInit, issue: runIssue, revoke: runRevoke, crl: runCrl, bundle: runBundle, list: runList, rotate: runRotate, 'join-token': runJoinToken };
  const wrapped = Object.fromEntries(Object.entries(subcommands).map(([name, runner]) => [name, reportingPkiErrors(runner)]));
  return runSubcommand('ca', CA_HELP, wrapped, args);
}
