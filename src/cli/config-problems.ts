// How the CLI shows an invalid configuration: one line per problem, every line naming where to
// look — `file: document N (Kind/name): field.path: message` — so a user fixes all in one pass.
// N is the 0-based document index within the file, as ConfigProblem defines it.
import type { ConfigError, ConfigProblem } from '../config/config-error.ts';

export function formatConfigProblem(problem: ConfigProblem): string {
  const resource = problem.kind ? ` (${problem.kind}${problem.name ? `/${problem.name}` : ''})` : '';
  const field = problem.path ? ` ${problem.path}:` : '';
  return `${problem.file}: document ${problem.documentIndex}${resource}:${field} ${problem.message}`;
}

export function writeConfigProblems(error: ConfigError): void {
  const count = error.problems.length === 1 ? '1 problem' : `${error.problems.length} problems`;
  const lines = error.problems.map(formatConfigProblem);
  process.stderr.write(`gatehouse: invalid configuration (${count}):\n${lines.join('\n')}\n`);
}
