// AuthorizationPolicy evaluation with 1 and 1,000 rules: an identity with a `role` claim asking
// for the path the last rule allows (every earlier rule is tried first).
import { compileAuthorizationPolicy } from '../../src/authz/compile-policy.ts';
import { compileAuthorizer } from '../../src/authz/authorizer.ts';
import type { AuthzRequest } from '../../src/authz/authz-request.ts';
import { measureSync, type MicroResult } from './measure-ns.ts';
import { MICRO_AUDIENCE, MICRO_ISSUER, MICRO_PORT, microModel } from './model-fixture.ts';

const EMPTY_JWKS = JSON.stringify({ keys: [] });

export async function run(): Promise<MicroResult[]> {
  const results: MicroResult[] = [];
  for (const rules of [1, 1_000]) {
    const model = microModel({ routes: 1, policyRules: rules, jwks: EMPTY_JWKS });
    const authorizer = compileAuthorizer(model.policies.map(compileAuthorizationPolicy));
    if (!authorizer) throw new Error('no authorizer compiled');
    const request: AuthzRequest = {
      method: 'GET',
      host: 'api.example.com',
      path: `/service-${rules - 1}/items`,
      port: MICRO_PORT,
      headers: {},
      sourceIp: '127.0.0.1',
      remoteIp: '127.0.0.1',
      identity: {
        issuer: MICRO_ISSUER,
        subject: 'alice',
        principal: `${MICRO_ISSUER}/alice`,
        audiences: [MICRO_AUDIENCE],
        claims: { iss: MICRO_ISSUER, sub: 'alice', role: 'user' },
        providerId: 'micro',
        tokenKind: 'jwt',
      },
    };
    const decision = authorizer.authorize(request);
    if (decision instanceof Promise || !decision.allowed) throw new Error('the benchmark request should be allowed synchronously');
    results.push(measureSync(`policy evaluation, ${rules.toLocaleString('en-US')} rule${rules === 1 ? '' : 's'}`, () => authorizer.authorize(request)));
  }
  return results;
}
