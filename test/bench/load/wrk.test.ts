import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWrkOutput, refuseFailedRun, WrkRunError } from '../../../bench/load/wrk.ts';

// Captured from wrk 4.1.0 (Debian) with bench/load/bearer-tokens.lua against a loopback server.
const CLEAN = `Running 1s test @ http://127.0.0.1:18556/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    11.57ms   18.59ms 127.74ms   90.65%
    Req/Sec     1.30k   839.40     2.51k    50.00%
  Latency Distribution
     50%  850.00us
     75%   11.66ms
     90%   27.72ms
     99%   94.35ms
  1323 requests in 1.03s, 237.73KB read
Requests/sec:   1282.98
Transfer/sec:    230.54KB
lua non-2xx: 0 first-status: 0
`;

// The server answered 401 to every tenth request.
const WITH_401 = `Running 1s test @ http://127.0.0.1:18556/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.46ms   11.01ms  77.35ms   93.09%
    Req/Sec     5.21k     2.51k    8.37k    60.00%
  Latency Distribution
     50%    1.06ms
     75%    2.21ms
     90%    8.02ms
     99%   64.80ms
  5169 requests in 1.01s, 0.91MB read
  Non-2xx or 3xx responses: 516
Requests/sec:   5139.59
Transfer/sec:      0.91MB
lua non-2xx: 516 first-status: 401
`;

// The server reset every 500th connection.
const WITH_RESETS = `Running 1s test @ http://127.0.0.1:18556/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.26ms    6.36ms  41.81ms   88.46%
    Req/Sec     2.15k   704.02     3.54k    70.00%
  Latency Distribution
     50%    3.58ms
     75%    6.88ms
     90%   12.44ms
     99%    1.20s
  2169 requests in 1.02s, 389.74KB read
  Socket errors: connect 0, read 4, write 0, timeout 0
Requests/sec:   2127.39
Transfer/sec:    382.26KB
lua non-2xx: 0 first-status: 0
`;

// wrk counts 3xx as success; only the Lua hook sees the redirects (e.g. a login redirect).
const WITH_REDIRECTS_ONLY = CLEAN.replace('lua non-2xx: 0 first-status: 0', 'lua non-2xx: 40 first-status: 302');
const WITHOUT_LUA_HOOK = CLEAN.replace('lua non-2xx: 0 first-status: 0\n', '');

test('a clean run is parsed into requests, rate and latency percentiles in microseconds', () => {
  const report = refuseFailedRun(parseWrkOutput(CLEAN), 'clean');
  assert.equal(report.requests, 1323);
  assert.equal(report.durationSeconds, 1.03);
  assert.equal(report.requestsPerSecond, 1282.98);
  assert.equal(report.p50Micros, 850);
  assert.equal(report.p99Micros, 94_350);
  assert.deepEqual(report.socketErrors, { connect: 0, read: 0, write: 0, timeout: 0 });
  assert.equal(report.luaNon2xx, 0);
});

test('latency in seconds converts to microseconds', () => {
  assert.equal(parseWrkOutput(WITH_RESETS).p99Micros, 1_200_000);
});

const REFUSED: { name: string; output: string; code: string; message: RegExp }[] = [
  { name: 'non-2xx responses', output: WITH_401, code: 'ERR_BENCH_RUN_NON_2XX', message: /516 of 5169 responses were not 2xx \(first: HTTP 401\)/ },
  { name: 'socket errors', output: WITH_RESETS, code: 'ERR_BENCH_RUN_SOCKET_ERRORS', message: /read 4/ },
  { name: '3xx that wrk counts as success', output: WITH_REDIRECTS_ONLY, code: 'ERR_BENCH_RUN_NON_2XX', message: /first: HTTP 302/ },
  { name: 'no Lua report (2xx not proved)', output: WITHOUT_LUA_HOOK, code: 'ERR_BENCH_WRK_OUTPUT', message: /cannot be proved/ },
];

for (const { name, output, code, message } of REFUSED) {
  test(`a run with ${name} is refused`, () => {
    assert.throws(
      () => refuseFailedRun(parseWrkOutput(output), 'peer x'),
      (error: unknown) => error instanceof WrkRunError && error.code === code && message.test(error.message),
    );
  });
}

test('output that is not a wrk report is an error, not zeros', () => {
  assert.throws(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused\n'), { code: 'ERR_BENCH_WRK_OUTPUT' });
  assert.throws(() => parseWrkOutput(CLEAN.replace(/ {2}Latency Distribution[\s\S]*?99%.*\n/, '')), /no 50% latency/);
});
