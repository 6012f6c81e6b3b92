// What authentication reports to the outside world. The gateway runtime implements these with
// prom-client counters and pino; tests implement them with plain counters.
import type { ReasonCode } from '../gateway/reasons.ts';

export interface AuthnObserver {
  jwksFetch(issuer: string, outcome: 'ok' | 'error'): void;
  tokenCache(outcome: 'hit' | 'miss'): void;
  authFailure(reason: ReasonCode): void;
}

/** The subset of pino the authn code uses; never given a token or a secret. */
export type AuthnLogger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};
