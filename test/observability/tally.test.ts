// The per-request tallies must reach /metrics exactly as direct prom-client increments did: same
// series, same counts, nothing counted twice across scrapes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayMetrics } from '../../src/observability/metrics.ts';

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('request, token-cache and authorization counts appear on scrape and accumulate across scrapes', async () => {
  const metrics = new GatewayMetrics();
  metrics.requestFinished('default/a/0', 200, 0.001);
  metrics.requestFinished('default/a/0', 204, 0.001);
  metrics.requestFinished('default/a/0', 503, 0.001);
  metrics.requestFinished('none', 404, 0.001);
  metrics.requestFinished('none', 0, 0.001); // no status written: class 1xx, as before
  metrics.requestFinished('none', 700, 0.001); // out of range: 5xx
  metrics.tokenCache('hit');
  metrics.tokenCache('hit');
  metrics.tokenCache('miss');
  metrics.authzDecision('default/allow', true);
  metrics.authzDecision('default/allow', false);
  let text = await metrics.render();
  assert.equal(sample(text, 'gatehouse_requests_total{route="default/a/0",status_class="2xx"}'), 2);
  assert.equal(sample(text, 'gatehouse_requests_total{route="default/a/0",status_class="5xx"}'), 1);
  assert.equal(sample(text, 'gatehouse_requests_total{route="none",status_class="4xx"}'), 1);
  assert.equal(sample(text, 'gatehouse_requests_total{route="none",status_class="1xx"}'), 1);
  assert.equal(sample(text, 'gatehouse_requests_total{route="none",status_class="5xx"}'), 1);
  assert.equal(sample(text, 'gatehouse_requests_total{route="default/a/0",status_class="4xx"}'), undefined);
  assert.equal(sample(text, 'gatehouse_token_cache_total{outcome="hit"}'), 2);
  assert.equal(sample(text, 'gatehouse_token_cache_total{outcome="miss"}'), 1);
  assert.equal(sample(text, 'gatehouse_authz_decisions_total{policy="default/allow",decision="allow"}'), 1);
  assert.equal(sample(text, 'gatehouse_authz_decisions_total{policy="default/allow",decision="deny"}'), 1);
  assert.equal(sample(text, 'gatehouse_request_duration_seconds_count'), 6);

  metrics.requestFinished('default/a/0', 201, 0.001);
  metrics.tokenCache('hit');
  text = await metrics.render();
  assert.equal(sample(text, 'gatehouse_requests_total{route="default/a/0",status_class="2xx"}'), 3);
  assert.equal(sample(text, 'gatehouse_requests_total{route="default/a/0",status_class="5xx"}'), 1);
  assert.equal(sample(text, 'gatehouse_token_cache_total{outcome="hit"}'), 3);
  text = await metrics.render();
  assert.equal(sample(text, 'gatehouse_token_cache_total{outcome="hit"}'), 3);
});
