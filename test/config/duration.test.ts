// Durations as Istio and Gateway API write them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDuration, parseDurationMs } from '../../src/config/duration.ts';

test('duration strings → milliseconds', () => {
  const cases: [string, number][] = [['5s', 5000], ['500ms', 500], ['1.5s', 1500], ['1m30s', 90_000], ['1h', 3_600_000], ['0s', 0], ['2h15m', 8_100_000]];
  for (const [text, ms] of cases) {
    assert.ok(isDuration(text), text);
    assert.equal(parseDurationMs(text), ms, text);
  }
});

test('what is not a duration', () => {
  for (const text of ['5', '5 s', 's', '-1s', '1d', '', '5S']) assert.equal(isDuration(text), false, text);
});
