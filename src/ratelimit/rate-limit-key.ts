// The key a request is counted under, compiled once per policy. A request missing a key part
// (no such claim, header or credential) is not counted by that policy, as NGINX limit_req
// does not account requests whose key is empty; combine with a clientIp policy to cover them.
import { createHash } from 'node:crypto';
import { readClaim } from '../authn/claim-path.ts';
import type { RateLimitKeyPart } from '../model/rate-limit.ts';
import type { RequestContext } from '../gateway/context.ts';

export type KeyOf = (ctx: RequestContext) => string | undefined;

/** Keys sent to Redis are hashed: no client IP, subject or credential is stored there. */
export function compileKey(parts: readonly RateLimitKeyPart[], hashed: boolean): KeyOf {
  const extractors = parts.map(extractorOf);
  const plain: KeyOf =
    extractors.length === 1
      ? extractors[0]
      : (ctx) => {
          const values: string[] = [];
          for (const extract of extractors) {
            const value = extract(ctx);
            if (value === undefined) return undefined;
            values.push(value);
          }
          return JSON.stringify(values);
        };
  if (!hashed) return plain;
  return (ctx) => {
    const key = plain(ctx);
    return key === undefined ? undefined : digest(key);
  };
}

function extractorOf(part: RateLimitKeyPart): KeyOf {
  switch (part.kind) {
    case 'clientIp':
      return (ctx) => ctx.remoteAddress || undefined;
    case 'claim':
      return (ctx) => (ctx.identity === undefined ? undefined : claimText(readClaim(ctx.identity.claims, part.path)));
    case 'header':
      return (ctx) => {
        const value = ctx.req.headers[part.name];
        return value === undefined || value === '' ? undefined : Array.isArray(value) ? value.join(', ') : value;
      };
    case 'apiToken':
      return (ctx) => {
        const credential = presentedCredential(ctx.req.headers.authorization);
        return credential === undefined ? undefined : digest(credential);
      };
  }
}

function claimText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** RFC 9110 §11.4: `Authorization: <scheme> <credentials>`; the credential, never logged or stored. */
function presentedCredential(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const space = authorization.indexOf(' ');
  const credential = (space === -1 ? authorization : authorization.slice(space + 1)).trim();
  return credential === '' ? undefined : credential;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
