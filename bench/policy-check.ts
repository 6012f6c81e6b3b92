// Before a peer is measured, prove it enforces the shared policy: a valid token passes, and a
// missing, wrong-audience, wrong-issuer or expired token is refused. A peer that lets those
// through would be measured doing less work, so the report shows every gap next to its numbers.
import { mintToken, type BenchAlgorithm, type BenchClaims, type BenchSigningKey } from './tokens.ts';

export interface PolicyCheckCase {
  name: string;
  token?: string;
  expectRefused: boolean;
}

export interface PolicyCheckResult {
  /** Human-readable gaps, e.g. "no token → 200 (expected 401/403)"; empty when all held. */
  gaps: string[];
}

export class PolicyCheckError extends Error {
  readonly code = 'ERR_BENCH_VALID_TOKEN_REFUSED';
}

export function policyCheckCases(key: BenchSigningKey, claims: BenchClaims): PolicyCheckCase[] {
  const now = Math.floor(Date.now() / 1000);
  return [
    { name: 'valid token', token: mintToken(key, claims, 'policy-check', now), expectRefused: false },
    { name: 'no token', expectRefused: true },
    { name: 'wrong audience', token: mintToken(key, { ...claims, audience: 'someone-else' }, 'policy-check', now), expectRefused: true },
    { name: 'wrong issuer', token: mintToken(key, { ...claims, issuer: 'https://evil.example' }, 'policy-check', now), expectRefused: true },
    // exp ten minutes ago: well past any clock-skew leeway (Gatehouse and Istio default to 60 s).
    { name: 'expired', token: mintToken(key, claims, 'policy-check', now - claims.lifetimeSeconds - 600), expectRefused: true },
  ];
}

export async function checkPeerPolicy(url: string, key: BenchSigningKey, claims: BenchClaims, alg: BenchAlgorithm): Promise<PolicyCheckResult> {
  const gaps: string[] = [];
  for (const check of policyCheckCases(key, claims)) {
    const response = await fetch(url, { headers: check.token ? { authorization: `Bearer ${check.token}` } : {} });
    await response.arrayBuffer();
    const refused = response.status === 401 || response.status === 403;
    if (!check.expectRefused && response.status !== 200) {
      throw new PolicyCheckError(`${alg} ${check.name} → HTTP ${response.status}: the peer refuses valid tokens`);
    }
    if (check.expectRefused && !refused) gaps.push(`${alg} ${check.name} → ${response.status} (expected 401/403)`);
  }
  return { gaps };
}
