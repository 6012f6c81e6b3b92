// Gateway API RequestHeaderModifier / ResponseHeaderModifier, compiled once per generation:
// names are lower-cased up front so the hot path never normalizes them again.
import type { HeaderModifier } from '../../model/gateway-model.ts';

export interface HeaderPair {
  readonly name: string; // lower-case
  readonly value: string;
}

export interface HeaderOps {
  readonly set: readonly HeaderPair[];
  readonly add: readonly HeaderPair[];
  readonly remove: readonly string[]; // lower-case
}

/** Headers keyed by lower-case name, as node:http and undici hand them out. */
export type MutableHeaders = Record<string, string | string[] | undefined>;

/** Merges every modifier of one kind on a rule (the spec allows one, we tolerate several). */
export function compileHeaderOps(modifiers: readonly HeaderModifier[]): HeaderOps | undefined {
  const set: HeaderPair[] = [];
  const add: HeaderPair[] = [];
  const remove: string[] = [];
  for (const modifier of modifiers) {
    for (const { name, value } of modifier.set) set.push({ name: name.toLowerCase(), value });
    for (const { name, value } of modifier.add) add.push({ name: name.toLowerCase(), value });
    for (const name of modifier.remove) remove.push(name.toLowerCase());
  }
  if (set.length === 0 && add.length === 0 && remove.length === 0) return undefined;
  return { set, add, remove };
}

/**
 * Applies ops in Envoy's order (remove, then set, then add) so an operator's set/add always wins.
 * `add` appends to an existing value with a comma, which RFC 9110 §5.3 makes equivalent to a
 * repeated field line; set-cookie (the exception in §5.3) keeps separate values.
 */
export function applyHeaderOps(ops: HeaderOps, headers: MutableHeaders): void {
  for (let i = 0; i < ops.remove.length; i++) delete headers[ops.remove[i]];
  for (let i = 0; i < ops.set.length; i++) headers[ops.set[i].name] = ops.set[i].value;
  for (let i = 0; i < ops.add.length; i++) {
    const { name, value } = ops.add[i];
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else if (name === 'set-cookie') headers[name] = [existing, value];
    else headers[name] = `${existing},${value}`;
  }
}
