// Reads the YAML files of a config: one file, or every *.yaml / *.yml of a directory (sorted,
// non-recursive, so the order — and thus document indexes in messages — is reproducible).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Problems } from './problems.ts';

export interface RawDocument {
  file: string;
  /** 0-based index of the document within its file (empty documents keep their index). */
  documentIndex: number;
  content: unknown;
}

export function listConfigFiles(path: string): string[] {
  const stats = statSync(path);
  if (!stats.isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile());
}

export function readDocuments(file: string, problems: Problems): RawDocument[] {
  const text = readFileSync(file, 'utf8');
  const documents: RawDocument[] = [];
  parseAllDocuments(text, { prettyErrors: true }).forEach((document, documentIndex) => {
    if (document.errors.length > 0) {
      for (const error of document.errors) {
        const line = error.linePos?.[0];
        const where = line ? `line ${line.line}, column ${line.col}: ` : '';
        problems.add({ file, documentIndex, path: '', message: `YAML syntax error at ${where}${firstLine(error.message)}` });
      }
      return;
    }
    // Bounded alias expansion: a YAML "billion laughs" document must not exhaust memory.
    const content: unknown = document.toJS({ maxAliasCount: 100 });
    // A `---` at the end of a file yields an empty document: nothing to configure.
    if (content === null || content === undefined) return;
    documents.push({ file, documentIndex, content });
  });
  return documents;
}

/** yaml's pretty message repeats the position and quotes the source; keep the sentence. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
