// A JwtProvider as config would produce it (Istio defaults applied), plus recording
// observer/logger doubles.
import type { ReasonCode } from '../../../src/gateway/reasons.ts';
import type { JwtProvider } from '../../../src/model/gateway-model.ts';
import type { AuthnLogger, AuthnObserver } from '../../../src/authn/observer.ts';

export const ISSUER = 'https://issuer.test';

export function makeProvider(overrides: Partial<JwtProvider> & Pick<JwtProvider, 'keys'>): JwtProvider {
  return {
    id: 'RequestAuthentication/test#0',
    issuer: ISSUER,
    audiences: [],
    hmacSecrets: [],
    algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
    // Istio's defaults: Authorization "Bearer " header, then the access_token query parameter.
    locations: [
      { kind: 'header', name: 'authorization', prefix: 'Bearer ' },
      { kind: 'query', name: 'access_token' },
    ],
    outputClaimToHeaders: [],
    forwardOriginalToken: false,
    realm: 'gatehouse',
    clockSkewSeconds: 60,
    requireExp: true,
    requiredClaims: [],
    jwksRefresh: { minSeconds: 60, maxSeconds: 300, unknownKidCooldownSeconds: 60 },
    source: { file: 'test.yaml', documentIndex: 0, kind: 'RequestAuthentication', name: 'test' },
    ...overrides,
  };
}

export class RecordingObserver implements AuthnObserver {
  readonly jwksFetches: { issuer: string; outcome: 'ok' | 'error' }[] = [];
  readonly cache = { hit: 0, miss: 0 };
  readonly failures: ReasonCode[] = [];
  jwksFetch(issuer: string, outcome: 'ok' | 'error'): void {
    this.jwksFetches.push({ issuer, outcome });
  }
  tokenCache(outcome: 'hit' | 'miss'): void {
    this.cache[outcome]++;
  }
  authFailure(reason: ReasonCode): void {
    this.failures.push(reason);
  }
}

export class RecordingLogger implements AuthnLogger {
  readonly lines: { level: string; obj: object; msg?: string }[] = [];
  info(obj: object, msg?: string): void {
    this.lines.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg?: string): void {
    this.lines.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg?: string): void {
    this.lines.push({ level: 'error', obj, msg });
  }
  count(level: string): number {
    return this.lines.filter((line) => line.level === level).length;
  }
}

/** Poll until `condition` holds (background refreshes); fails the test after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
