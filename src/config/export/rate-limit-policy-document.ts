// `gatehouse import`: an NGINX rateLimit Policy, as the model holds it, printed back as a
// gatehouse.dev RateLimitPolicy on the HTTPRoute that replaces its VirtualServer.
import type { RateLimitKeyPart, RateLimitPolicy } from '../../model/rate-limit.ts';
import { RATE_LIMIT_STATUS } from '../formats/rate-limit-policy.ts';

const NAMED_WINDOWS: Record<number, string> = { 1: 'second', 60: 'minute', 3600: 'hour' };

export interface ImportedRateLimit {
  document: Record<string, unknown>;
  /** What the RateLimitPolicy cannot say (a reject status other than 429). */
  note?: string;
}

export function rateLimitPolicyDocument(limit: RateLimitPolicy, routeName: string): ImportedRateLimit {
  const document = {
    apiVersion: 'gatehouse.dev/v1alpha1',
    kind: 'RateLimitPolicy',
    metadata: { name: `${routeName}-${limit.source.name}` },
    spec: {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: routeName }],
      limits: limit.budgets.map((budget) => ({
        requests: budget.requests,
        per: NAMED_WINDOWS[budget.windowSeconds] ?? `${budget.windowSeconds}s`,
        ...(budget.burst > 0 ? { burst: budget.burst } : {}),
      })),
      key: limit.key.map(keyPartDocument),
    },
  };
  const note = limit.rejectStatus === RATE_LIMIT_STATUS
    ? undefined
    : `${limit.source.kind}/${limit.source.name}: refused requests get ${RATE_LIMIT_STATUS} from the RateLimitPolicy instead of rejectCode ${limit.rejectStatus}`;
  return { document, note };
}

function keyPartDocument(part: RateLimitKeyPart): unknown {
  if (part.kind === 'claim') return { claim: part.path };
  if (part.kind === 'header') return { header: part.name };
  return part.kind;
}
