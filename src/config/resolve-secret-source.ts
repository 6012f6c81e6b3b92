// Reads a secret given in one of the shared forms (schemas/secret-source.ts). Problems name the
// variable, file or Secret, never the value.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Problems } from './problems.ts';
import type { Resources } from './parse-resources.ts';
import { resolveSecretValues, type ReferenceSite } from './resolve.ts';
import type { SecretSource } from './schemas/secret-source.ts';

export function resolveSecretSource(
  resources: Resources, problems: Problems, site: ReferenceSite, secret: SecretSource, env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if ('value' in secret) return secret.value;
  if ('env' in secret) {
    const value = env[secret.env];
    if (value) return value;
    problems.at(site.source, `${site.path}.env`, `environment variable ${secret.env} is not set or empty`);
    return undefined;
  }
  if ('file' in secret) {
    const path = resolve(dirname(site.source.file), secret.file);
    try {
      const value = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
      if (value !== '') return value;
      problems.at(site.source, `${site.path}.file`, `file is empty: ${path}`);
    } catch {
      problems.at(site.source, `${site.path}.file`, `file not readable: ${path}`);
    }
    return undefined;
  }
  const { name, key } = secret.secretRef;
  return resolveSecretValues(resources, problems, { source: site.source, path: `${site.path}.secretRef` }, name, 'Opaque', [key])?.[key];
}
