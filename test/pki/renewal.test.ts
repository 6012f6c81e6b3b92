import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needsRenewal, renewalTime } from '../../src/pki/renewal.ts';

const HOUR = 3_600_000;
const notBefore = new Date('2026-01-01T00:00:00Z');
const certificate = { notBefore, notAfter: new Date(notBefore.getTime() + 24 * HOUR) };

test('renewal is due at two thirds of the lifetime', () => {
  assert.equal(renewalTime(certificate).toISOString(), '2026-01-01T16:00:00.000Z');
  const cases: [number, boolean][] = [
    [0, false],
    [12, false],
    [15.99, false],
    [16, true],
    [23, true],
    [30, true],
  ];
  for (const [hoursIn, due] of cases) {
    assert.equal(needsRenewal(certificate, new Date(notBefore.getTime() + hoursIn * HOUR)), due, `${hoursIn} h in`);
  }
});
