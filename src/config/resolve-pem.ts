// PEM material for TLS verification — trust bundles and CRLs — from a file beside the config, a
// ConfigMap (the Gateway API's Core form: key `ca.crt`) or a Secret. Read and checked at load
// time, so a missing or empty bundle fails `gatehouse check`, not the first handshake.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { splitPem, splitPemCertificates } from '../pki/pem-blocks.ts';
import type { Resources } from './parse-resources.ts';
import type { Problems } from './problems.ts';
import type { ReferenceSite } from './resolve.ts';
import { secretValue } from './schemas/secret.ts';

export const CA_BUNDLE_KEY = 'ca.crt';

export interface PemReference {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  key?: string;
}

/** A file path as written in the config: relative paths are relative to the config file. */
export function configRelativePath(site: ReferenceSite, path: string): string {
  return resolve(dirname(site.source.file), path);
}

export function readPemFile(problems: Problems, site: ReferenceSite, path: string): string | undefined {
  try {
    return readFileSync(configRelativePath(site, path), 'utf8');
  } catch (error) {
    problems.at(site.source, site.path, `cannot read ${configRelativePath(site, path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return undefined;
  }
}

/** The value under `key` (default ca.crt) of a ConfigMap or Secret. */
export function resolvePemReference(resources: Resources, problems: Problems, site: ReferenceSite, ref: PemReference): string | undefined {
  const key = ref.key ?? CA_BUNDLE_KEY;
  if (ref.kind === 'ConfigMap') {
    const parsed = resources['/ConfigMap'].find((candidate) => candidate.source.name === ref.name);
    if (parsed === undefined) return notDefined(problems, site, ref);
    const value = parsed.resource.data?.[key] ?? decode(parsed.resource.binaryData?.[key]);
    if (value === undefined) problems.at(site.source, site.path, `ConfigMap "${ref.name}" has no "${key}"`);
    return value;
  }
  const parsed = resources['/Secret'].find((candidate) => candidate.source.name === ref.name);
  if (parsed === undefined) return notDefined(problems, site, ref);
  const value = secretValue(parsed.resource, key);
  if (value === undefined) problems.at(site.source, site.path, `Secret "${ref.name}" has no "${key}" in data or stringData`);
  return value;
}

/** A trust bundle must hold at least one certificate: an empty one would trust nothing, silently. */
export function checkedBundle(problems: Problems, site: ReferenceSite, pem: string | undefined): string | undefined {
  if (pem === undefined) return undefined;
  if (splitPemCertificates(pem).length === 0) {
    problems.at(site.source, site.path, 'the CA bundle holds no PEM CERTIFICATE block');
    return undefined;
  }
  return pem;
}

/** Node's `crl` option takes one CRL per entry. */
export function crlEntries(problems: Problems, site: ReferenceSite, pem: string | undefined): string[] {
  if (pem === undefined) return [];
  const entries = splitPem(pem, 'X509 CRL');
  if (entries.length === 0) problems.at(site.source, site.path, 'the CRL file holds no PEM "X509 CRL" block');
  return entries;
}

function decode(base64: string | undefined): string | undefined {
  return base64 === undefined ? undefined : Buffer.from(base64, 'base64').toString('utf8');
}

function notDefined(problems: Problems, site: ReferenceSite, ref: PemReference): undefined {
  problems.at(site.source, site.path, `references ${ref.kind} "${ref.name}", which is not defined in any config document`);
  return undefined;
}
