// Bad configs → the exact problem a user sees: file, document index, kind/name, field path, message.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, type ConfigProblem } from '../../src/config/config-error.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { BACKEND, GATEWAY, writeTempConfig } from './support/temp-config.ts';

interface Case {
  name: string;
  yaml: string;
  fixtures?: string[];
  expected: { documentIndex: number; kind?: string; name?: string; path: string; message: RegExp };
}

const RA = (rule: string) => `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: ra}
spec:
  jwtRules:
  - issuer: https://issuer.example
${rule}`;

const ISSUER = (spec: string) => `${RA('    jwksUri: https://issuer.example/jwks\n')}---
apiVersion: gatehouse.dev/v1alpha1
kind: JWTIssuer
metadata: {name: extras}
spec:
  issuer: https://issuer.example
${spec}`;

const ROUTE = (rules: string, extra = '') => `${GATEWAY}---\n${BACKEND}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec:
  parentRefs: [{name: edge}]
${extra}  rules:
${rules}`;

const NGINX_POLICY = (jwt: string) => `apiVersion: k8s.nginx.org/v1
kind: Policy
metadata: {name: jwt}
spec:
  jwt:
${jwt}`;

const VIRTUAL_SERVER = (body: string) => `${BACKEND}---
apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata: {name: cafe}
spec:
  host: cafe.example.com
${body}`;

const AUTHZ = (spec: string) => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: policy}
spec:
${spec}`;

const CASES: Case[] = [
  { name: 'YAML syntax error names the line', yaml: `${BACKEND}---\nkind: a: b\n`,
    expected: { documentIndex: 1, path: '', message: /^YAML syntax error at line 7, column 7: Nested mappings are not allowed/ } },
  { name: 'unknown field, with its full path', yaml: RA('    jwksUri: https://issuer.example/jwks\n    outputPayloadToHeadr: x-jwt\n'),
    expected: { documentIndex: 0, kind: 'RequestAuthentication', name: 'ra', path: 'spec.jwtRules[0].outputPayloadToHeadr', message: /^unknown field \(did you mean "outputPayloadToHeader"\?\)$/ } },
  { name: 'a typo inside a filter', yaml: ROUTE(`  - filters: [{type: RequestHeaderModifier, requestHeaderModifier: {sett: [{name: a, value: b}]}}]
    backendRefs: [{group: gatehouse.dev, kind: Backend, name: api}]
`), expected: { documentIndex: 2, kind: 'HTTPRoute', name: 'web', path: 'spec.rules[0].filters[0].requestHeaderModifier.sett', message: /did you mean "set"/ } },
  { name: 'a typo at the top level', yaml: BACKEND.replace('spec:', 'sepc:'),
    expected: { documentIndex: 0, kind: 'Backend', name: 'api', path: 'sepc', message: /did you mean "spec"/ } },
  { name: 'unknown kind', yaml: `${BACKEND}---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n`,
    expected: { documentIndex: 1, kind: 'Widget', name: 'w', path: 'kind', message: /unknown kind "Widget" of apiVersion "example.com\/v1"; supported: / } },
  { name: 'unsupported apiVersion of a known kind', yaml: RA('').replace('security.istio.io/v1', 'security.istio.io/v2'),
    expected: { documentIndex: 0, kind: 'RequestAuthentication', name: 'ra', path: 'apiVersion', message: /must be "security.istio.io\/v1" or "security.istio.io\/v1beta1"/ } },
  { name: 'missing apiVersion', yaml: 'kind: Backend\nmetadata: {name: b}\n',
    expected: { documentIndex: 0, path: 'apiVersion', message: /is required/ } },
  { name: 'a bare jwtRules snippet', yaml: 'jwtRules:\n- issuer: "https://auth.company.com"\n',
    expected: { documentIndex: 0, path: 'apiVersion', message: /belongs under spec of a security.istio.io\/v1 RequestAuthentication/ } },
  { name: 'missing required field', yaml: RA('').replace('  - issuer: https://issuer.example\n', '  - audiences: [a]\n'),
    expected: { documentIndex: 0, kind: 'RequestAuthentication', name: 'ra', path: 'spec.jwtRules[0].issuer', message: /is required \(string\)/ } },
  { name: 'duration syntax', yaml: RA('    timeout: 5 seconds\n'),
    expected: { documentIndex: 0, kind: 'RequestAuthentication', name: 'ra', path: 'spec.jwtRules[0].timeout', message: /must be a duration such as "5s"/ } },
  { name: 'jwks and jwksUri together', yaml: RA(`    jwksUri: https://issuer.example/jwks\n    jwks: '{"keys":[]}'\n`),
    expected: { documentIndex: 0, kind: 'RequestAuthentication', name: 'ra', path: 'spec.jwtRules[0].jwks', message: /set jwks or jwksUri, not both/ } },
  { name: 'inline jwks that is not a JWK set', yaml: RA(`    jwks: '{"kty":"RSA"}'\n`),
    expected: { documentIndex: 0, kind: 'RequestAuthentication', name: 'ra', path: 'spec.jwtRules[0].jwks', message: /JSON object with a "keys" array/ } },
  { name: 'targetRef to a missing HTTPRoute', yaml: RA('    jwksUri: https://issuer.example/jwks\n').replace('spec:\n', 'spec:\n  targetRefs: [{kind: HTTPRoute, name: shop}]\n'),
    expected: { documentIndex: 0, kind: 'RequestAuthentication', name: 'ra', path: 'spec.targetRefs[0]', message: /references HTTPRoute "shop", which is not defined/ } },
  { name: 'targetRef kind the edge cannot honour', yaml: RA('    jwksUri: https://issuer.example/jwks\n').replace('spec:\n', 'spec:\n  targetRef: {kind: Service, name: shop}\n'),
    expected: { documentIndex: 0, kind: 'RequestAuthentication', name: 'ra', path: 'spec.targetRef[0].kind', message: /kind "Service" is not supported; use Gateway, HTTPRoute or VirtualServer/ } },
  { name: 'login-url annotation must be a URL', yaml: RA('    jwksUri: https://issuer.example/jwks\n').replace('metadata: {name: ra}', 'metadata:\n  name: ra\n  annotations: {gatehouse.dev/login-url: /login}'),
    expected: { documentIndex: 0, kind: 'RequestAuthentication', name: 'ra', path: 'metadata.annotations["gatehouse.dev/login-url"]', message: /absolute http\(s\) URL/ } },
  { name: 'alg none is never accepted', yaml: ISSUER('  algorithms: [RS256, none]\n'),
    expected: { documentIndex: 1, kind: 'JWTIssuer', name: 'extras', path: 'spec.algorithms[1]', message: /"none" is never accepted/ } },
  { name: 'HS* pinned without a shared secret', yaml: ISSUER('  algorithms: [HS256]\n'),
    expected: { documentIndex: 1, kind: 'JWTIssuer', name: 'extras', path: 'spec.algorithms', message: /HS256 needs a shared secret/ } },
  { name: 'HMAC env variable not set (its name is shown, never a value)', yaml: ISSUER('  hmacSecretEnv: GATEHOUSE_TEST_UNSET_VARIABLE\n'),
    expected: { documentIndex: 1, kind: 'JWTIssuer', name: 'extras', path: 'spec.hmacSecretEnv', message: /GATEHOUSE_TEST_UNSET_VARIABLE is not set/ } },
  { name: 'jwksFile that does not exist', yaml: ISSUER('  jwksFile: missing.json\n'),
    expected: { documentIndex: 1, kind: 'JWTIssuer', name: 'extras', path: 'spec.jwksFile', message: /file not found: .*missing\.json/ } },
  { name: 'a JWTIssuer key source and a jwksUri', yaml: ISSUER('  discovery: true\n'),
    expected: { documentIndex: 0, kind: 'RequestAuthentication', name: 'ra', path: 'spec.jwtRules[0].jwksUri', message: /JWTIssuer "extras" also sets a key source \(discovery\)/ } },
  { name: 'duplicate names of one kind', yaml: `${BACKEND}---\n${BACKEND}`,
    expected: { documentIndex: 1, kind: 'Backend', name: 'api', path: 'metadata.name', message: /duplicate Backend "api": also defined in .*config\.yaml \(document 0\)/ } },
  { name: 'parentRef to a missing Gateway', yaml: ROUTE('  - backendRefs: [{group: gatehouse.dev, kind: Backend, name: api}]\n').replace('name: edge}]', 'name: main}]'),
    expected: { documentIndex: 2, kind: 'HTTPRoute', name: 'web', path: 'spec.parentRefs[0]', message: /references Gateway "main", which is not defined/ } },
  { name: 'parentRef sectionName the Gateway lacks', yaml: ROUTE('  - backendRefs: [{group: gatehouse.dev, kind: Backend, name: api}]\n').replace('name: edge}]', 'name: edge, sectionName: https}]'),
    expected: { documentIndex: 2, kind: 'HTTPRoute', name: 'web', path: 'spec.parentRefs[0].sectionName', message: /Gateway "edge" has no listener named "https"/ } },
  { name: 'a Service backendRef with no Backend of that name', yaml: ROUTE('  - backendRefs: [{name: orders, port: 80}]\n'),
    expected: { documentIndex: 2, kind: 'HTTPRoute', name: 'web', path: 'spec.rules[0].backendRefs[0].name', message: /references Backend "orders".*Backend of the same name/ } },
  { name: 'a backendRef kind Gatehouse cannot serve', yaml: ROUTE('  - backendRefs: [{group: example.com, kind: Bucket, name: api}]\n'),
    expected: { documentIndex: 2, kind: 'HTTPRoute', name: 'web', path: 'spec.rules[0].backendRefs[0]', message: /backendRef example.com\/Bucket is not supported/ } },
  { name: 'a rule with neither backends nor redirect', yaml: ROUTE('  - matches: [{path: {value: /x}}]\n'),
    expected: { documentIndex: 2, kind: 'HTTPRoute', name: 'web', path: 'spec.rules[0]', message: /needs backendRefs or a RequestRedirect filter/ } },
  { name: 'ReplacePrefixMatch on an Exact match', yaml: ROUTE(`  - matches: [{path: {type: Exact, value: /a}}]
    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}]
    backendRefs: [{group: gatehouse.dev, kind: Backend, name: api}]
`), expected: { documentIndex: 2, kind: 'HTTPRoute', name: 'web', path: 'spec.rules[0].filters[0].urlRewrite.path', message: /ReplacePrefixMatch needs a PathPrefix match; this match is Exact/ } },
  { name: 'an invalid regular expression', yaml: ROUTE(`  - matches: [{path: {type: RegularExpression, value: "/(["}}]
    backendRefs: [{group: gatehouse.dev, kind: Backend, name: api}]
`), expected: { documentIndex: 2, kind: 'HTTPRoute', name: 'web', path: 'spec.rules[0].matches[0].path.value', message: /invalid regular expression/ } },
  { name: 'an invalid hostname', yaml: ROUTE('  - backendRefs: [{group: gatehouse.dev, kind: Backend, name: api}]\n', '  hostnames: ["api.*.com"]\n'),
    expected: { documentIndex: 2, kind: 'HTTPRoute', name: 'web', path: 'spec.hostnames[0]', message: /"api.\*.com" is not a hostname/ } },
  { name: 'an HTTPS listener without tls', yaml: GATEWAY.replace('protocol: HTTP}', 'protocol: HTTPS}'),
    expected: { documentIndex: 0, kind: 'Gateway', name: 'edge', path: 'spec.listeners[0].tls', message: /needs tls.certificateRefs/ } },
  { name: 'a certificateRef to a missing Secret', yaml: GATEWAY.replace('protocol: HTTP}', 'protocol: HTTPS, tls: {certificateRefs: [{name: cert}]}}'),
    expected: { documentIndex: 0, kind: 'Gateway', name: 'edge', path: 'spec.listeners[0].tls.certificateRefs[0]', message: /references Secret "cert", which is not defined/ } },
  { name: 'a certificateRef to a Secret of another type', fixtures: ['seed-001-nginx.yaml'], yaml: GATEWAY.replace('protocol: HTTP}', 'protocol: HTTPS, tls: {certificateRefs: [{name: dddaong-jwks}]}}'),
    expected: { documentIndex: 0, kind: 'Gateway', name: 'edge', path: 'spec.listeners[0].tls.certificateRefs[0]', message: /Secret "dddaong-jwks" has type "nginx.org\/jwk"; expected "kubernetes.io\/tls"/ } },
  { name: 'a TLS Secret whose data is not base64', yaml: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/tls\ndata: {tls.crt: "!!"}\n',
    expected: { documentIndex: 0, kind: 'Secret', name: 's', path: 'data.tls.crt', message: /must be base64/ } },
  { name: 'an NGINX Policy with no key source', yaml: NGINX_POLICY('    realm: cafe\n'),
    expected: { documentIndex: 0, kind: 'Policy', name: 'jwt', path: 'spec.jwt', message: /set exactly one of secret .* or jwksURI/ } },
  { name: 'an NGINX Policy whose Secret is missing', yaml: NGINX_POLICY('    secret: cafe-jwk\n'),
    expected: { documentIndex: 0, kind: 'Policy', name: 'jwt', path: 'spec.jwt.secret', message: /references Secret "cafe-jwk"/ } },
  { name: 'an NGINX token that is not a variable', yaml: NGINX_POLICY('    jwksURI: https://idp.example/jwks\n    token: X-Api-Token\n'),
    expected: { documentIndex: 0, kind: 'Policy', name: 'jwt', path: 'spec.jwt.token', message: /\$http_<header>, \$cookie_<name> or \$arg_<name>/ } },
  { name: 'an NGINX policy type Gatehouse does not implement', yaml: NGINX_POLICY('    jwksURI: https://idp.example/jwks\n').replace('  jwt:\n', '  waf: {enable: true}\n  jwt:\n'),
    expected: { documentIndex: 0, kind: 'Policy', name: 'jwt', path: 'spec.waf', message: /unknown field/ } },
  { name: 'an NGINX Policy with two types', yaml: NGINX_POLICY('    jwksURI: https://idp.example/jwks\n').replace('  jwt:\n', '  rateLimit: {rate: 10r/s, key: "${binary_remote_addr}", zoneSize: 10M}\n  jwt:\n'),
    expected: { documentIndex: 0, kind: 'Policy', name: 'jwt', path: 'spec', message: /exactly one policy type: jwt or rateLimit/ } },
  { name: 'an NGINX rate in requests per hour', yaml: 'apiVersion: k8s.nginx.org/v1\nkind: Policy\nmetadata: {name: rl}\nspec:\n  rateLimit: {rate: 10r/h, key: "${binary_remote_addr}"}\n',
    expected: { documentIndex: 0, kind: 'Policy', name: 'rl', path: 'spec.rateLimit.rate', message: /"10r\/s" or "30r\/m"/ } },
  { name: 'a RateLimitPolicy window below a second', yaml: 'apiVersion: gatehouse.dev/v1alpha1\nkind: RateLimitPolicy\nmetadata: {name: rl}\nspec:\n  limits: [{requests: 5, per: 500ms}]\n',
    expected: { documentIndex: 0, kind: 'RateLimitPolicy', name: 'rl', path: 'spec.limits[0].per', message: /whole number of seconds/ } },
  { name: 'a RateLimitPolicy on Redis without a URL', yaml: 'apiVersion: gatehouse.dev/v1alpha1\nkind: RateLimitPolicy\nmetadata: {name: rl}\nspec:\n  limits: [{requests: 5, per: second}]\n  backend: redis\n',
    expected: { documentIndex: 0, kind: 'RateLimitPolicy', name: 'rl', path: 'spec.redis', message: /needs redis.url/ } },
  { name: 'a RateLimitPolicy key part that does not exist', yaml: 'apiVersion: gatehouse.dev/v1alpha1\nkind: RateLimitPolicy\nmetadata: {name: rl}\nspec:\n  limits: [{requests: 5, per: second}]\n  key: [clientIp, cookie]\n',
    expected: { documentIndex: 0, kind: 'RateLimitPolicy', name: 'rl', path: 'spec.key', message: /.+/ } },
  { name: 'a VirtualServer upstream whose Service has no Backend', yaml: VIRTUAL_SERVER('  upstreams: [{name: tea, service: tea-svc, port: 80}]\n  routes: [{path: /tea, action: {pass: tea}}]\n'),
    expected: { documentIndex: 1, kind: 'VirtualServer', name: 'cafe', path: 'spec.upstreams[0].service', message: /references Backend "tea-svc"/ } },
  { name: 'a VirtualServer route to an undefined upstream', yaml: VIRTUAL_SERVER('  upstreams: [{name: coffee, service: api, port: 80}]\n  routes: [{path: /, action: {pass: tea}}]\n'),
    expected: { documentIndex: 1, kind: 'VirtualServer', name: 'cafe', path: 'spec.routes[0].action', message: /upstream "tea", which spec.upstreams does not define/ } },
  { name: 'a VirtualServer policy that does not exist', yaml: VIRTUAL_SERVER('  policies: [{name: jwt-auth}]\n  upstreams: [{name: coffee, service: api, port: 80}]\n  routes: [{path: /, action: {pass: coffee}}]\n'),
    expected: { documentIndex: 1, kind: 'VirtualServer', name: 'cafe', path: 'spec.policies[0].name', message: /references Policy "jwt-auth"/ } },
  { name: 'an AccessPolicy field the authorization stage does not know', yaml: 'apiVersion: gatehouse.dev/v1alpha1\nkind: AccessPolicy\nmetadata: {name: ap}\nspec:\n  rules: [{paths: [/], requires: {}}]\n',
    expected: { documentIndex: 0, kind: 'AccessPolicy', name: 'ap', path: 'spec.rules[0].requires', message: /unknown field/ } },
  { name: 'AuthorizationPolicy: unknown rule field', yaml: AUTHZ('  rules:\n  - form: [{source: {requestPrincipals: ["*"]}}]\n'),
    expected: { documentIndex: 0, kind: 'AuthorizationPolicy', name: 'policy', path: 'spec.rules[0].form', message: /unknown field/ } },
  { name: 'AuthorizationPolicy: bad CIDR', yaml: AUTHZ('  rules:\n  - from: [{source: {ipBlocks: ["10.0.0.0/33"]}}]\n'),
    expected: { documentIndex: 0, kind: 'AuthorizationPolicy', name: 'policy', path: 'spec.rules[0]', message: /invalid prefix length/ } },
  { name: 'AuthorizationPolicy: unknown condition key', yaml: AUTHZ('  rules:\n  - when: [{key: \"request.auth.claim[role]\", values: [admin]}]\n'),
    expected: { documentIndex: 0, kind: 'AuthorizationPolicy', name: 'policy', path: 'spec.rules[0]', message: /unsupported condition key "request.auth.claim\[role\]"/ } },
  { name: 'AuthorizationPolicy: CUSTOM names no ExtAuthzProvider', yaml: AUTHZ('  action: CUSTOM\n  provider: {name: opa}\n  rules: [{}]\n'),
    expected: { documentIndex: 0, kind: 'AuthorizationPolicy', name: 'policy', path: 'spec.provider.name', message: /no ExtAuthzProvider named "opa"/ } },
  { name: 'AccessPolicy: a rule both public and required', yaml: `apiVersion: gatehouse.dev/v1alpha1\nkind: AccessPolicy\nmetadata: {name: access}\nspec:\n  rules:\n  - {paths: [/x], public: true, require: {roles: [admin]}}\n`,
    expected: { documentIndex: 0, kind: 'AccessPolicy', name: 'access', path: 'spec.rules[0]', message: /either public or has requirements/ } },
];

for (const testCase of CASES) {
  test(`bad config: ${testCase.name}`, (t) => {
    const directory = writeTempConfig(t, { 'config.yaml': testCase.yaml }, testCase.fixtures);
    const problems = problemsOf(() => loadConfig(directory));
    const { message, ...fields } = testCase.expected;
    const expected = { file: join(directory, 'config.yaml'), ...fields };
    const found = problems.find((problem) => message.test(problem.message));
    assert.ok(found, `no problem matches ${message}; got:\n${problems.map((p) => JSON.stringify(p)).join('\n')}`);
    const { message: _message, ...foundFields } = found;
    assert.deepEqual({ ...foundFields, kind: foundFields.kind, name: foundFields.name }, { kind: undefined, name: undefined, ...expected });
  });
}

test('ConfigError: stable code, every problem listed one per line, document order', (t) => {
  const directory = writeTempConfig(t, {
    'a.yaml': `${BACKEND}---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n`,
    'b.yaml': 'apiVersion: gatehouse.dev/v1alpha1\nkind: Backend\nmetadata: {name: b}\nspec: {endpoints: [], colour: red}\n',
  });
  try {
    loadConfig(directory);
    assert.fail('expected a ConfigError');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, 'ERR_CONFIG_INVALID');
    assert.deepEqual(error.message.split('\n'), [
      'invalid configuration (3 problems):',
      `${join(directory, 'a.yaml')} (document 1) Widget/w: kind: unknown kind "Widget" of apiVersion "example.com/v1"; supported: ${error.problems[0].message.split('supported: ')[1]}`,
      `${join(directory, 'b.yaml')} (document 0) Backend/b: spec.endpoints: a Backend needs at least one endpoint`,
      `${join(directory, 'b.yaml')} (document 0) Backend/b: spec.colour: unknown field`,
    ]);
  }
});

test('a path that does not exist is a ConfigError naming it', () => {
  const problems = problemsOf(() => loadConfig('/nonexistent/gatehouse.yaml'));
  assert.equal(problems[0].file, '/nonexistent/gatehouse.yaml');
  assert.match(problems[0].message, /cannot read the config: ENOENT/);
});

function problemsOf(load: () => unknown): ConfigProblem[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  assert.fail('the config loaded, but a ConfigError was expected');
}
