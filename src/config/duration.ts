// Durations as Istio (protobuf Duration / Go style, e.g. "5s", "1.5s", "1m30s") and Gateway API
// (GEP-2257: "10s", "500ms", "1h") write them. One parser for both formats.

export const DURATION_PATTERN = /^(\d+(\.\d+)?(h|ms|m|s))+$/;
const PART_PATTERN = /(\d+(?:\.\d+)?)(h|ms|m|s)/g;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

export function isDuration(text: string): boolean {
  return DURATION_PATTERN.test(text);
}

/** Milliseconds in a duration string; call isDuration first (schemas do). */
export function parseDurationMs(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART_PATTERN)) total += Number(amount) * UNIT_MS[unit];
  return Math.round(total);
}

export function parseDurationSeconds(text: string): number {
  return Math.round(parseDurationMs(text) / 1000);
}
