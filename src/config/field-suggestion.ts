// "did you mean …?" for unknown fields: finds the object schema at a field path and the known
// key closest to what the user typed, so a typo is fixed without opening the docs.
import type { z } from 'zod';

/** The known keys of the object schema found at `path` inside `schema`, or [] if none. */
export function knownKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  const candidates = objectShapesAt([schema], path);
  return [...new Set(candidates.flatMap((shape) => Object.keys(shape)))];
}

export function closestKey(typed: string, known: string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(typed.toLowerCase(), key.toLowerCase());
    if (distance <= Math.max(2, Math.floor(key.length / 4)) && (!best || distance < best.distance)) best = { key, distance };
  }
  return best?.key;
}

type Shape = Record<string, z.core.$ZodType>;

function objectShapesAt(schemas: z.core.$ZodType[], path: readonly PropertyKey[]): Shape[] {
  let current = schemas.flatMap(unwrap);
  for (const segment of path) {
    current = current.flatMap((schema): z.core.$ZodType[] => {
      const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
      if (def.type === 'array' && typeof segment === 'number') return unwrap(def.element as z.core.$ZodType);
      if (def.type === 'record' && typeof segment === 'string') return unwrap(def.valueType as z.core.$ZodType);
      if (def.type === 'object' && typeof segment === 'string') {
        const child = (def.shape as Shape)[segment];
        return child ? unwrap(child) : [];
      }
      return [];
    });
  }
  return current.flatMap((schema) => {
    const def = schema._zod.def as unknown as { type: string; shape?: Shape };
    return def.type === 'object' && def.shape ? [def.shape] : [];
  });
}

/** Looks through optional/default/nullable wrappers and into every option of a union. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') {
    return unwrap(def.innerType as z.core.$ZodType);
  }
  if (def.type === 'pipe') return unwrap(def.in as z.core.$ZodType);
  if (def.type === 'union') return (def.options as z.core.$ZodType[]).flatMap(unwrap);
  return [schema];
}

/** Levenshtein distance; inputs are field names, so a simple two-row table is plenty. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
