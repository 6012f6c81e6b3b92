// The top self-time frames of a V8 CPU profile (`node --cpu-prof`), the form issue 7 asks to
// keep in commit messages when the hot path changes.
// Usage: node bench/profile/top-frames.ts FILE.cpuprofile [COUNT]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FrameShare {
  frame: string;
  selfPercent: number;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (url === '') return functionName || '(anonymous)';
  // Shorten to the part a reader recognises: node_modules/<pkg>/…, src/…, node:…
  const short = url.includes('/node_modules/') ? url.slice(url.lastIndexOf('/node_modules/') + 14) : url.replace(/^file:\/\/.*?\/(src|bench)\//, '$1/');
  return `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
}

/** Self time per frame (function + location), as a share of all samples, largest first. */
export function topFrames(profile: CpuProfile, count: number): FrameShare[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const node = byId.get(id);
    if (node === undefined) return;
    const name = frameName(node);
    selfTime.set(name, (selfTime.get(name) ?? 0) + delta);
    total += delta;
  });
  return [...selfTime.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, time]) => ({ frame, selfPercent: total === 0 ? 0 : (100 * time) / total }));
}

export function formatTopFrames(frames: readonly FrameShare[]): string {
  return frames.map(({ frame, selfPercent }) => `${selfPercent.toFixed(1).padStart(5)}%  ${frame}`).join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, count] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/profile/top-frames.ts FILE.cpuprofile [COUNT]');
    process.exit(2);
  }
  console.log(formatTopFrames(topFrames(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(count ?? 25))));
}
