// What main.ts needs to know about a command: its name, a one-line summary for `gatehouse --help`,
// and how to load its runner. Runners are loaded on demand so `gatehouse token decode` does not
// pay for loading the gateway. A runner resolves to the process exit code; long-running commands
// (gateway, demo) resolve only once they have been stopped.

export type CommandRunner = (args: string[]) => Promise<number>;

export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<CommandRunner>;
}
