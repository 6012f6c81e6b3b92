// ns/op for a micro-benchmark: warm the function up (so V8 has optimized it), then time batches
// until a minimum wall time has passed, and divide; of several such windows the fastest is kept,
// since noise (GC, other processes) only ever adds time. Async functions are awaited one at a
// time, which is what one request on the gateway's hot path does.
export interface MicroResult {
  name: string;
  nsPerOp: number;
  operations: number;
}

const WARMUP_MS = 100;
const MEASURE_MS = 300;
const WINDOWS = 3;

function loopFor(fn: () => unknown, milliseconds: number): { operations: number; nanoseconds: bigint } {
  const start = process.hrtime.bigint();
  const budget = BigInt(milliseconds) * 1_000_000n;
  let operations = 0;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 1000; i++) fn();
    operations += 1000;
    elapsed = process.hrtime.bigint() - start;
  }
  return { operations, nanoseconds: elapsed };
}

function fastest(windows: MicroResult[]): MicroResult {
  return windows.reduce((best, window) => (window.nsPerOp < best.nsPerOp ? window : best));
}

export function measureSync(name: string, fn: () => unknown): MicroResult {
  loopFor(fn, WARMUP_MS);
  const windows: MicroResult[] = [];
  for (let i = 0; i < WINDOWS; i++) {
    const { operations, nanoseconds } = loopFor(fn, MEASURE_MS);
    windows.push({ name, nsPerOp: Number(nanoseconds) / operations, operations });
  }
  return fastest(windows);
}

async function awaitFor(fn: () => Promise<unknown>, milliseconds: number): Promise<{ operations: number; nanoseconds: bigint }> {
  const start = process.hrtime.bigint();
  const budget = BigInt(milliseconds) * 1_000_000n;
  let operations = 0;
  let elapsed = 0n;
  while (elapsed < budget) {
    await fn();
    operations++;
    elapsed = process.hrtime.bigint() - start;
  }
  return { operations, nanoseconds: elapsed };
}

export async function measureAsync(name: string, fn: () => Promise<unknown>): Promise<MicroResult> {
  await awaitFor(fn, WARMUP_MS);
  const windows: MicroResult[] = [];
  for (let i = 0; i < WINDOWS; i++) {
    const { operations, nanoseconds } = await awaitFor(fn, MEASURE_MS);
    windows.push({ name, nsPerOp: Number(nanoseconds) / operations, operations });
  }
  return fastest(windows);
}
