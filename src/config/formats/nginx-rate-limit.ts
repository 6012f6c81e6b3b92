// NGINX Policy `rateLimit` → a model rate limit with the same meaning: `rate` requests per
// second or minute per `key`, `burst` more on top, refused with `rejectCode` (NGINX Ingress
// Controller's default is 503). Each VirtualServer referencing the Policy gets its own
// counters, as NGINX gives each its own limit_req zone.
import type { SourceRef } from '../../model/gateway-model.ts';
import type { RateLimitKeyPart, RateLimitPolicy } from '../../model/rate-limit.ts';
import type { Problems } from '../problems.ts';
import type { NginxRateLimitSpec } from '../schemas/nginx-rate-limit.ts';

/** NGINX Ingress Controller `rateLimit.rejectCode` default. */
const NGINX_REJECT_STATUS = 503;
const VARIABLE = /\$\{([a-z0-9_]+)\}/g;

/** The rate limit a VirtualServer gets from one `rateLimit` Policy; undefined after a problem. */
export function nginxRateLimit(
  rateLimit: NginxRateLimitSpec, policySource: SourceRef, virtualServer: string, problems: Problems,
): RateLimitPolicy | undefined {
  const key = keyParts(rateLimit.key, (message) => problems.at(policySource, 'spec.rateLimit.key', message));
  if (key === undefined) return undefined;
  const [, requests, unit] = /^(\d+)r\/([sm])$/.exec(rateLimit.rate) as RegExpExecArray;
  return {
    name: `${policySource.name}@${virtualServer}`,
    targets: [{ kind: 'VirtualServer', name: virtualServer }],
    budgets: [{ requests: Number(requests), windowSeconds: unit === 's' ? 1 : 60, burst: rateLimit.burst ?? 0 }],
    key,
    backend: { kind: 'memory' },
    rejectStatus: rateLimit.rejectCode ?? NGINX_REJECT_STATUS,
    source: policySource,
  };
}

/** Warnings for fields Gatehouse reads but does not need or cannot honour. */
export function warnNginxRateLimit(rateLimit: NginxRateLimitSpec, source: SourceRef, problems: Problems): void {
  if (rateLimit.zoneSize !== undefined) problems.warn(source, 'rateLimit.zoneSize is ignored: Gatehouse sizes its counters itself');
  if (rateLimit.logLevel !== undefined) problems.warn(source, 'rateLimit.logLevel is ignored: refused requests are logged at info with reason rate_limited');
  // limit_req without nodelay queues burst requests; Gatehouse never holds a request back.
  if ((rateLimit.burst ?? 0) > 0 && rateLimit.noDelay !== true) {
    problems.warn(source, 'rateLimit burst requests are served at once (as with noDelay: true), not delayed');
  }
}

/** `${binary_remote_addr}${jwt_claim_sub}` → client IP + claim `sub`; other text is refused. */
function keyParts(key: string, report: (message: string) => void): RateLimitKeyPart[] | undefined {
  if (key.replace(VARIABLE, '') !== '') {
    report('must be NGINX variables only, e.g. ${binary_remote_addr} or ${jwt_claim_sub}');
    return undefined;
  }
  const parts: RateLimitKeyPart[] = [];
  for (const [, variable] of key.matchAll(VARIABLE)) {
    const part = keyPart(variable);
    if (part === undefined) {
      report(`variable \${${variable}} is not supported; use \${binary_remote_addr}, \${remote_addr}, \${jwt_claim_<claim>} or \${http_<header>}`);
      return undefined;
    }
    parts.push(part);
  }
  return parts;
}

function keyPart(variable: string): RateLimitKeyPart | undefined {
  if (variable === 'binary_remote_addr' || variable === 'remote_addr') return { kind: 'clientIp' };
  if (variable.startsWith('jwt_claim_')) return { kind: 'claim', path: variable.slice('jwt_claim_'.length) };
  // ngx_http_core_module: $http_<name> is the header with "-" written as "_".
  if (variable.startsWith('http_')) return { kind: 'header', name: variable.slice('http_'.length).replaceAll('_', '-') };
  return undefined;
}
