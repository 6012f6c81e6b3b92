import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyHeaderOps, compileHeaderOps, type MutableHeaders } from '../../../src/gateway/routing/header-ops.ts';
import type { HeaderModifier } from '../../../src/model/gateway-model.ts';

const cases: [string, HeaderModifier, MutableHeaders, MutableHeaders][] = [
  ['set overwrites (name case-insensitive)', { set: [{ name: 'X-Env', value: 'prod' }], add: [], remove: [] }, { 'x-env': 'dev' }, { 'x-env': 'prod' }],
  ['set creates', { set: [{ name: 'X-Env', value: 'prod' }], add: [], remove: [] }, {}, { 'x-env': 'prod' }],
  ['add appends with a comma', { set: [], add: [{ name: 'My-Header', value: 'bar' }], remove: [] }, { 'my-header': 'foo' }, { 'my-header': 'foo,bar' }],
  ['add creates', { set: [], add: [{ name: 'My-Header', value: 'bar' }], remove: [] }, {}, { 'my-header': 'bar' }],
  ['add keeps set-cookie values apart', { set: [], add: [{ name: 'Set-Cookie', value: 'b=2' }], remove: [] }, { 'set-cookie': 'a=1' }, { 'set-cookie': ['a=1', 'b=2'] }],
  ['remove deletes', { set: [], add: [], remove: ['X-Secret'] }, { 'x-secret': 's', keep: 'k' }, { keep: 'k' }],
  ['remove runs before set', { set: [{ name: 'x-a', value: 'new' }], add: [], remove: ['x-a'] }, { 'x-a': 'old' }, { 'x-a': 'new' }],
];

for (const [name, modifier, before, after] of cases) {
  test(`applyHeaderOps: ${name}`, () => {
    const ops = compileHeaderOps([modifier]);
    assert.ok(ops);
    const headers = { ...before };
    applyHeaderOps(ops, headers);
    assert.deepEqual(headers, after);
  });
}

test('compileHeaderOps: empty modifiers compile to nothing', () => {
  assert.equal(compileHeaderOps([]), undefined);
  assert.equal(compileHeaderOps([{ set: [], add: [], remove: [] }]), undefined);
});
