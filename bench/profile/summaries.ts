// After a `--cpu-prof DIR` run: the top frames of every profile Gatehouse wrote under DIR.
// (CPU µs/req and req/s of a profiled run include the profiler's own overhead.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatTopFrames, topFrames, type CpuProfile } from './top-frames.ts';

function profilesUnder(directory: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) found.push(...profilesUnder(path));
    else if (name.endsWith('.cpuprofile')) found.push(path);
  }
  return found.sort();
}

export function printProfileSummaries(directory: string, count = 20): void {
  for (const file of profilesUnder(directory)) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    console.log(`\n# ${relative(directory, file)} — top ${count} frames by self time\n${formatTopFrames(topFrames(profile, count))}`);
  }
}
