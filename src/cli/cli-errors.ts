// The two ways a command fails. main.ts maps them to exit codes in one place: a usage error
// (bad flags, missing arguments) exits 2 like other Unix tools; a command that understood its
// arguments but could not do the work exits 1. Each carries a stable code for tests and scripts.

export class UsageError extends Error {
  readonly code = 'ERR_USAGE';
  readonly exitCode = 2;
  /** The command whose --help the user should read, e.g. "token mint". */
  readonly command: string;

  constructor(command: string, message: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

export class CommandFailure extends Error {
  readonly code: string;
  readonly exitCode = 1;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'CommandFailure';
    this.code = code;
  }
}
