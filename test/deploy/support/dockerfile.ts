// Reads a Dockerfile into stages of instructions, as BuildKit's parser does for the forms we use:
// comments and blank lines dropped, `\` continuations joined, exec-form (JSON array) arguments
// decoded. Enough to check what the Dockerfile says without a Docker engine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './manifests.ts';

export interface Instruction {
  /** Upper case: FROM, RUN, COPY, USER… */
  keyword: string;
  /** The text after the keyword. */
  text: string;
}

export interface Stage {
  /** `FROM image AS name`: the image (build args not expanded) and the name, if any. */
  from: string;
  name?: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM, with their defaults. */
  globalArgs: Record<string, string>;
  stages: Stage[];
}

export function readDockerfile(path = join(REPO_ROOT, 'Dockerfile')): Dockerfile {
  return parseDockerfile(readFileSync(path, 'utf8'));
}

export function parseDockerfile(text: string): Dockerfile {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const dockerfile: Dockerfile = { globalArgs: {}, stages: [] };
  for (const line of logical) {
    const [, keyword, rest] = /^(\S+)\s*(.*)$/.exec(line)!;
    const instruction = { keyword: keyword.toUpperCase(), text: rest };
    if (instruction.keyword === 'FROM') {
      const [from, as, name] = rest.split(/\s+/);
      dockerfile.stages.push({ from, ...(as?.toUpperCase() === 'AS' ? { name } : {}), instructions: [] });
    } else if (dockerfile.stages.length === 0 && instruction.keyword === 'ARG') {
      const [name, value = ''] = rest.split('=');
      dockerfile.globalArgs[name] = value;
    } else {
      dockerfile.stages.at(-1)?.instructions.push(instruction);
    }
  }
  return dockerfile;
}

/** The image of a FROM with `${ARG}` expanded from the global ARG defaults. */
export function baseImage(dockerfile: Dockerfile, stage: Stage): string {
  return stage.from.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string, bare: string) => dockerfile.globalArgs[braced ?? bare] ?? '');
}

export function instructions(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

/** Exec form `["a", "b"]` → ['a', 'b']; undefined for the shell form. */
export function execForm(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return undefined;
  return JSON.parse(trimmed) as string[];
}

/** `ENV NAME=value` (one pair per instruction, as this Dockerfile writes them). */
export function envDefaults(stage: Stage): Record<string, string> {
  return Object.fromEntries(instructions(stage, 'ENV').map((env) => env.text.split(/=(.*)/s).slice(0, 2) as [string, string]));
}
