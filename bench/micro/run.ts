// `npm run bench -- micro [name…]`: micro-benchmarks of the hot path, each printing ns/op. A
// benchmark whose Gatehouse module does not exist (yet) is skipped with a message, not failed.
import type { MicroResult } from './measure-ns.ts';

const MICRO_BENCHMARKS: Record<string, string> = {
  'token-verification': './token-verification.ts',
  'signature-cost': './signature-cost.ts',
  'route-matching': './route-matching.ts',
  'policy-evaluation': './policy-evaluation.ts',
  'header-shaping': './header-shaping.ts',
};

function isMissingModule(error: unknown): error is Error & { code: string } {
  return error instanceof Error && (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
}

function printResult(result: MicroResult): void {
  const opsPerSecond = 1e9 / result.nsPerOp;
  console.log(`  ${result.name.padEnd(44)} ${result.nsPerOp.toFixed(0).padStart(9)} ns/op  ${Math.round(opsPerSecond).toLocaleString('en-US').padStart(12)} ops/s`);
}

/** Returns false (after saying why) when a requested benchmark does not exist. */
export async function runMicroBenchmarks(names: string[]): Promise<boolean> {
  const unknown = names.filter((name) => !(name in MICRO_BENCHMARKS));
  if (unknown.length > 0) {
    console.error(`unknown micro-benchmark(s): ${unknown.join(', ')} (have: ${Object.keys(MICRO_BENCHMARKS).join(', ')})`);
    return false;
  }
  for (const [name, file] of Object.entries(MICRO_BENCHMARKS)) {
    if (names.length > 0 && !names.includes(name)) continue;
    console.log(name);
    let module: { run(): Promise<MicroResult[]> };
    try {
      module = await import(file);
    } catch (error) {
      if (!isMissingModule(error)) throw error;
      console.log(`  skipped: ${error.message.split('\n')[0]}`);
      continue;
    }
    for (const result of await module.run()) printResult(result);
  }
  return true;
}
