// What docs/deploy.md tells an operator to run: its `sh` blocks, and the Secrets its
// `kubectl create secret generic` commands create (name → keys).
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REPO_ROOT } from './manifests.ts';

export const DEPLOY_DOC = join(REPO_ROOT, 'docs', 'deploy.md');

export function deployDoc(): string {
  return readFileSync(DEPLOY_DOC, 'utf8');
}

/** The fenced ```sh blocks of the page, in order. */
export function shellBlocks(markdown = deployDoc()): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
}

/** The one sh block whose first line is `# <marker>`. */
export function shellBlock(marker: string, markdown = deployDoc()): string {
  const found = shellBlocks(markdown).filter((block) => block.split('\n')[0] === `# ${marker}`);
  if (found.length !== 1) throw new Error(`docs/deploy.md: expected one sh block starting "# ${marker}", found ${found.length}`);
  return found[0];
}

/** Secret name → keys, from `kubectl create secret generic NAME --from-literal=K=… --from-file=[K=]PATH`. */
export function documentedSecrets(markdown = deployDoc()): Map<string, Set<string>> {
  const secrets = new Map<string, Set<string>>();
  for (const block of shellBlocks(markdown)) {
    const commands = block.replace(/\\\n/g, ' ').split('\n');
    for (const command of commands) {
      const match = /kubectl create secret generic ([a-z0-9-]+)(.*)$/.exec(command);
      if (!match) continue;
      const keys = secrets.get(match[1]) ?? new Set<string>();
      for (const option of match[2].matchAll(/--from-(literal|file)=(\S+)/g)) {
        const [, form, value] = option;
        const equals = value.indexOf('=');
        keys.add(form === 'literal' || equals !== -1 ? value.slice(0, equals) : basename(value));
      }
      secrets.set(match[1], keys);
    }
  }
  return secrets;
}
