// Every configuration failure is reported as one ConfigError listing all problems at once, each
// naming file, document, resource and field path, so a user fixes a config in one pass.

export interface ConfigProblem {
  file: string;
  /** 0-based index of the YAML document within the file. */
  documentIndex: number;
  kind?: string;
  name?: string;
  /** Field path inside the document, e.g. `spec.jwtRules[0].issuer`; '' for the whole document. */
  path: string;
  message: string;
}

export function formatProblem(problem: ConfigProblem): string {
  const resource = problem.kind ? ` ${problem.kind}${problem.name ? `/${problem.name}` : ''}` : '';
  const field = problem.path ? ` ${problem.path}:` : '';
  return `${problem.file} (document ${problem.documentIndex})${resource}:${field} ${problem.message}`;
}

export class ConfigError extends Error {
  readonly code = 'ERR_CONFIG_INVALID';
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`invalid configuration (${count}):\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
