import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWeightedPicker } from '../../../src/gateway/routing/weighted-picker.ts';

function picks(weights: Record<string, number>, count: number): string[] {
  const pick = createWeightedPicker(Object.entries(weights).map(([backend, weight]) => ({ backend, weight })));
  assert.ok(pick);
  return Array.from({ length: count }, () => pick());
}

test('smooth weighted round-robin interleaves like NGINX (5:1:1)', () => {
  assert.deepEqual(picks({ a: 5, b: 1, c: 1 }, 7), ['a', 'a', 'b', 'a', 'c', 'a', 'a']);
});

test('every window of sum(weights) picks honours the weights', () => {
  const counts = Object.groupBy(picks({ blue: 90, green: 10 }, 1000), (name) => name);
  assert.equal(counts.blue?.length, 900);
  assert.equal(counts.green?.length, 100);
});

test('weight 0 is never picked', () => {
  assert.deepEqual(new Set(picks({ live: 1, drained: 0 }, 10)), new Set(['live']));
});

test('no positive weight leaves nothing to pick', () => {
  assert.equal(createWeightedPicker([{ backend: 'a', weight: 0 }]), undefined);
  assert.equal(createWeightedPicker([]), undefined);
});
