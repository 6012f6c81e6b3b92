// The collector every translation step reports into: problems pile up instead of throwing at
// the first one, so `gatehouse check` shows the whole list.
import type { SourceRef } from '../model/gateway-model.ts';
import type { ConfigProblem } from './config-error.ts';

export class Problems {
  readonly list: ConfigProblem[] = [];
  readonly warnings: string[] = [];

  /** A problem inside a known resource; `path` is the field path within its document. */
  at(source: SourceRef, path: string, message: string): void {
    this.list.push({
      file: source.file,
      documentIndex: source.documentIndex,
      kind: source.kind,
      name: source.name,
      path,
      message,
    });
  }

  add(problem: ConfigProblem): void {
    this.list.push(problem);
  }

  warn(source: SourceRef, message: string): void {
    this.warnings.push(`${source.file} (document ${source.documentIndex}) ${source.kind}/${source.name}: ${message}`);
  }

  get empty(): boolean {
    return this.list.length === 0;
  }
}
