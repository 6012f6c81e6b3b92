// GatewayOptions `pathNormalization` over real sockets: a DENY policy on `/admin*` and the
// spellings that try to get past it, under several modes. What matters is what a client gets and
// what the upstream receives: the path the policy judged is the path that goes upstream. No JWT
// provider applies, so a denial is a 403 (a credential would not help).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gatewayYaml, rawGet, startHarness } from './gateway-harness.ts';

const DENY_ADMIN = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: no-admin}
spec:
  action: DENY
  rules: [{to: [{operation: {paths: ["/admin*"]}}]}]
`;

const options = (spec: string) => `apiVersion: gatehouse.dev/v1alpha1
kind: GatewayOptions
metadata: {name: options}
spec:
  pathNormalization: ${spec}
`;

/** status, and for 200 the path the upstream received, for 307 the Location. */
type Outcome = [status: number, pathOrLocation?: string];

const MODES: { spec: string; cases: [raw: string, outcome: Outcome][] }[] = [
  {
    spec: '{}',
    cases: [['//admin', [403]], ['/x/../admin', [403]], ['/%61dmin', [403]], ['/x%2F..%2Fadmin', [400]], ['/public//a', [200, '/public/a']]],
  },
  {
    spec: '{normalization: BASE}',
    cases: [['/x/../admin', [403]], ['/%61dmin', [403]], ['/public//a', [200, '/public//a']], ['/x%2Fadmin', [400]]],
  },
  {
    spec: '{normalization: DECODE_AND_MERGE_SLASHES}',
    cases: [['/x%2F..%2Fadmin', [403]], ['/%2Fadmin', [403]], ['/files/a%2fb', [200, '/files/a/b']]],
  },
  {
    spec: '{escapedSlashes: KEEP_UNCHANGED}',
    // The escape stays one segment, for the policy and the upstream alike.
    cases: [['/x%2F..%2Fadmin', [200, '/x%2F..%2Fadmin']], ['/x/../admin', [403]]],
  },
  {
    spec: '{escapedSlashes: UNESCAPE_AND_REDIRECT}',
    cases: [['/files/a%2Fb?q=1', [307, '/files/a/b?q=1']], ['/x%2F..%2Fadmin', [307, '/admin']]],
  },
  {
    spec: '{normalization: NONE, escapedSlashes: REJECT_REQUEST}',
    // NONE: Istio's "forwarded exactly as is" — the spelling reaches the upstream unmatched.
    cases: [['/x/../admin', [200, '/x/../admin']], ['/admin', [403]], ['/a%2Fb', [400]]],
  },
];

describe('GatewayOptions pathNormalization end to end', () => {
  for (const mode of MODES) {
    test(`pathNormalization: ${mode.spec}`, async () => {
      const h = await startHarness({
        configYaml: ({ echo }) =>
          gatewayYaml({ upstreams: { echo }, routes: [{ name: 'all', pathPrefix: '/', backend: 'echo' }] }) + `---\n${DENY_ADMIN}---\n${options(mode.spec)}`,
      });
      try {
        for (const [raw, [status, where]] of mode.cases) {
          const response = await rawGet(h.baseUrl, raw);
          assert.equal(response.status, status, `${raw}: ${response.body}`);
          if (status === 200) assert.equal((JSON.parse(response.body) as { url: string }).url, where, raw);
          if (status === 307) assert.equal(response.headers.location, where, raw);
        }
      } finally {
        await h.close();
      }
    });
  }
});
