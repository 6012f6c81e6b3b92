// CPU time and resident memory of a peer, read from Linux /proc (proc(5)). A peer is a process
// tree (nginx master + worker, Gatehouse primary + cluster workers), so both are summed over the
// root and every live descendant: /proc/<pid>/stat's cutime/cstime only count children that have
// already exited and been waited for, which is not what we need.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second for utime/stime (sysconf(_SC_CLK_TCK)), asked once. */
const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface ProcessTreeUsage {
  /** user + system CPU time of the tree, in microseconds. */
  cpuMicros: number;
  /** Sum of VmRSS over the tree, in bytes. */
  rssBytes: number;
  processCount: number;
}

interface StatFields {
  ppid: number;
  cpuTicks: number;
}

/** Parse /proc/<pid>/stat; the command name may contain spaces and parentheses, so split after the last ')'. */
export function parseProcStat(text: string): StatFields {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the name: [0]=state [1]=ppid … [11]=utime [12]=stime (fields 3, 4, 14, 15 in proc(5)).
  return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

function readStat(pid: number): StatFields | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // the process exited between listing and reading
  }
}

function readRssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function descendantsOf(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(pid);
    children.set(stat.ppid, list);
  }
  const tree: number[] = [];
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

export function readProcessTreeUsage(rootPid: number): ProcessTreeUsage {
  let cpuTicks = 0;
  let rssBytes = 0;
  const tree = descendantsOf(rootPid);
  for (const pid of tree) {
    cpuTicks += readStat(pid)?.cpuTicks ?? 0;
    rssBytes += readRssBytes(pid);
  }
  return { cpuMicros: (cpuTicks * 1_000_000) / CLOCK_TICKS_PER_SECOND, rssBytes, processCount: tree.length };
}
