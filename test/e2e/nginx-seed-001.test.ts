// Seed 001 end to end: its kubectl Secret, NGINX Policy and VirtualServer exactly as the seed
// writes them (plus a Gateway and the Backend `coffee-svc` the seed's Service stands for), and
// the seed's own RS256 token — which verifies against the seed's JWK. The seed's two curl
// results must come back: 200 with the token, 401 `Bearer realm="dddaong"` without.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { importDocuments } from '../../src/config/export/import-documents.ts';
import { Problems } from '../../src/config/problems.ts';
import { rawGet, startHarness, type Harness } from './gateway-harness.ts';

// --- verbatim from the seed (kubectl get secret dddaong-jwks -o yaml; Policy; VirtualServer) ---
const SEED_SECRET = `apiVersion: v1
data:
  jwk: eyAia2V5cyI6Clt7CiAgICAia3R5IjogIlJTQSIsCiAgICAiZSI6ICJBUUFCIiwKICAgICJ1c2UiOiAic2lnIiwKICAgICJraWQiOiAiMDAwMSIsCiAgICAiYWxnIjogIlJTMjU2IiwKICAgICJuIjogInR0TURPaHl6c1J0azVHR0JzejdiY0lpbXRvX3ZZMlFYVTVWZ2czaGljN2xYTXNHVm1meXBGMWFZbHlDMWE2bmt1d21mMXJTcDV5WmQwZkpEZzR2UFdlWVQ4T3R5bkdGLWx6YzdQUS1jdVN4Ui1tMXVjNnFRc1A3enZ4aWNsLUpiODFuRG4yZVo4ZVZKb3IwTUUwWHJzbk9zUWZ5NGtQSnRleDh0a1dNWjdETnljYXhvX2R4Y0J3cWhWRkprR2JGdjl2enVWY3RFaklzb3pDRTVYSmJWc3A4VVlLdE9JckRvbURtYXI0WFN3LUp0eWxnVVd0aTVYYlNabUFGTV9vRi1WcF93R0ZoYmdtTkFUbmRkdG9UOFZSZHU5a3k3VXlVU0l1RUc1cS1Ra2ZiRnJseGVHcUpjXzJZN09wWUpfUDZqem1IT1VvOGV4THA4RWtUNkI1NXFtdyIKfV0KfQo=
kind: Secret
metadata:
  creationTimestamp: "2021-04-13T06:55:14Z"
  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:data:
        .: {}
        f:jwk: {}
      f:type: {}
    manager: kubectl-create
    operation: Update
    time: "2021-04-13T06:55:14Z"
  name: dddaong-jwks
  namespace: default
  resourceVersion: "3335260"
  uid: bfd83b04-0ce2-4302-b53d-a9b115320b91
type: nginx.org/jwk
`;

const SEED_POLICY = `apiVersion: k8s.nginx.org/v1
kind: Policy
metadata:
  name: dddaong-jwk-auth
spec:
  jwt:
    secret: dddaong-jwks
    realm: "dddaong"
`;

const SEED_VIRTUAL_SERVER = `apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata:
  name: dddaong-jwt-test
spec:
  host: auth.test
  policies: 
  - name: dddaong-jwk-auth
  upstreams: 
  - name: coffee
    service: coffee-svc
    port: 80
  routes: 
  - path: /
    action:
      pass: coffee
`;

/** The seed's dddaong.token: kid 0001, RS256, {"sub":"RS256NPICTEST","aud":"dddaong","iat":1618295120}. */
const SEED_TOKEN =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjAwMDEifQ.eyJzdWIiOiJSUzI1Nk5QSUNURVNUIiwiYXVkIjoiZGRkYW9uZyIsImlhdCI6MTYxODI5NTEyMH0.kaJmcz1YLWOjBUrqMnPR8Kzh8nqG92GFMXYmpOVkjlx7NzxNZ_6e6gv6ziR9UhiiYOICqwwzpLUN9DerumGSRCNe6m_640oA0HnS1MkgSc9Q4V9g7DT66UpM4gfDC9WJlRoigolD8cXG5V479Dun3VOvKvwmDDr4NYMPSh8w-L056Lk6lqZEZktXjIYbTaB9S4gLWhbxsrA61C97Va71dbqKqDc0TJ0oTTCLtyRx3EzsfETGil44uMowfGGVb5Y_S5vojv_dwsFkmxjBH7EbvLsvRwYcahrqtxfF6YCXTwvnppxhI9iHWBQaNF4Zkvsk1XzzhCE3NPjpWPxqjQaE8g';

/** What the seed leaves to the cluster: a Gateway (two HTTP listeners) and the coffee-svc Backend. */
const additions = (echo: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge}
spec:
  listeners:
  - {name: http, port: 8080, protocol: HTTP}
  - {name: http-alt, port: 8081, protocol: HTTP}
---
apiVersion: gatehouse.dev/v1alpha1
kind: Backend
metadata: {name: coffee-svc}
spec:
  endpoints: [{url: "${echo}"}]
`;

describe('seed 001: NGINX JWT policy on a VirtualServer, as written', () => {
  let h: Harness;
  let urls: string[];
  before(async () => {
    h = await startHarness({
      configYaml: ({ echo }) => [additions(echo), SEED_SECRET, SEED_POLICY, SEED_VIRTUAL_SERVER].join('---\n'),
    });
    urls = Object.values(h.gateway.listeners).map((listener) => `http://127.0.0.1:${listener.port}`);
  });
  after(async () => h?.close());

  test('the seed\'s token gets 200 on every HTTP listener of the Gateway, matched by host', async () => {
    assert.equal(urls.length, 2);
    for (const url of urls) {
      const response = await rawGet(url, '/', { host: 'auth.test', authorization: `Bearer ${SEED_TOKEN}` });
      assert.equal(response.status, 200, url);
      // NGINX passes the token upstream unchanged (and `gatehouse check` warns about it).
      assert.equal((JSON.parse(response.body) as { headers: Record<string, string> }).headers.authorization, `Bearer ${SEED_TOKEN}`);
    }
  });

  test('no token: 401 with WWW-Authenticate: Bearer realm="dddaong"', async () => {
    for (const url of urls) {
      const response = await rawGet(url, '/', { host: 'auth.test' });
      assert.equal(response.status, 401);
      assert.equal(response.headers['www-authenticate'], 'Bearer realm="dddaong"');
    }
  });

  test('another host is not this VirtualServer: 404', async () => {
    const response = await rawGet(urls[0], '/', { host: 'other.test', authorization: `Bearer ${SEED_TOKEN}` });
    assert.equal(response.status, 404);
  });

  test('a token signed by another key is refused (401 invalid_token)', async () => {
    const forged = await h.token({ sub: 'RS256NPICTEST' });
    const response = await rawGet(urls[0], '/', { host: 'auth.test', authorization: `Bearer ${forged}` });
    assert.equal(response.status, 401);
    assert.match(String(response.headers['www-authenticate']), /^Bearer realm="dddaong", error="invalid_token"/);
  });
});

describe('seed 001 after `gatehouse import`: the same answers from Gateway API + Istio documents', () => {
  let h: Harness;
  let importedYaml = '';
  before(async () => {
    h = await startHarness({
      configYaml: ({ echo }) => {
        const text = [additions(echo), SEED_SECRET, SEED_POLICY, SEED_VIRTUAL_SERVER].join('---\n');
        const documents = parseAllDocuments(text).map((document, documentIndex) => ({ file: 'seed.yaml', documentIndex, content: document.toJS() }));
        importedYaml = importDocuments(documents, new Problems()).yaml;
        return importedYaml;
      },
    });
  });
  after(async () => h?.close());

  test('no NGINX resource is left, and the seed token still gets 200, no token 401 realm "dddaong"', async () => {
    assert.doesNotMatch(importedYaml, /k8s\.nginx\.org|nginx\.org\/jwk/);
    const ok = await rawGet(h.baseUrl, '/', { host: 'auth.test', authorization: `Bearer ${SEED_TOKEN}` });
    assert.equal(ok.status, 200);
    const none = await rawGet(h.baseUrl, '/', { host: 'auth.test' });
    assert.equal(none.status, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="dddaong"');
  });
});
