// CUSTOM action: an HTTP external authorization service, in the shape of Istio's
// `envoyExtAuthzHttp` extension provider. The check request repeats the original method and
// path (under pathPrefix) with the allowed request headers plus the verified identity; a 2xx
// answer allows (and may add headers upstream), anything else — including a timeout or an
// unreachable service — denies. Failing closed is the default (Envoy's `failure_mode_allow: false`).
import { request } from 'undici';
import type { ExtAuthzProvider } from '../model/gateway-model.ts';
import type { AuthzRequest } from './authz-request.ts';
import type { CompiledPolicy } from './compile-policy.ts';
import type { ExternalAuthorizer } from './evaluate.ts';


export class HttpExternalAuthorizer implements ExternalAuthorizer {
  readonly #providers: Map<string, ExtAuthzProvider>;

  constructor(providers: readonly ExtAuthzProvider[]) {
    this.#providers = new Map(providers.map((p) => [p.name, p]));
  }

  has(name: string): boolean {
    return this.#providers.has(name);
  }

  async check(policy: CompiledPolicy, req: AuthzRequest): Promise<{ allowed: boolean; headers?: Record<string, string>; reason: string }> {
    const provider = this.#providers.get(policy.provider ?? '');
    if (!provider) return { allowed: false, reason: `ext_authz provider "${policy.provider}" is not configured` };
    const base = new URL(provider.url);
    const path = base.pathname.replace(/\/$/, '') + req.path;
    try {
      const response = await request(new URL(path, base), {
        method: req.method === 'HEAD' ? 'GET' : req.method,
        headers: checkHeaders(provider, req),
        signal: AbortSignal.timeout(provider.timeoutMs),
      });
      await response.body.dump();
      if (response.statusCode < 200 || response.statusCode > 299) {
        return { allowed: false, reason: `ext_authz ${provider.name} denied with status ${response.statusCode}` };
      }
      return { allowed: true, headers: pickHeaders(response.headers, provider.headersToUpstreamOnAllow), reason: `ext_authz ${provider.name} allowed` };
    } catch (error) {
      const cause = (error as Error).name === 'TimeoutError' ? 'timed out' : 'is unreachable';
      if (provider.failOpen) return { allowed: true, reason: `ext_authz ${provider.name} ${cause}; failOpen` };
      return { allowed: false, reason: `ext_authz ${provider.name} ${cause}` };
    }
  }
}

function checkHeaders(provider: ExtAuthzProvider, req: AuthzRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || !included(provider.includeRequestHeadersInCheck, name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  headers['x-forwarded-host'] = req.host;
  headers['x-forwarded-for'] = req.remoteIp;
  headers['x-forwarded-method'] = req.method;
  if (req.identity) {
    headers['x-gatehouse-principal'] = req.identity.principal;
    headers['x-gatehouse-claims'] = Buffer.from(JSON.stringify(req.identity.claims)).toString('base64url');
  }
  return headers;
}

function included(patterns: readonly string[], name: string): boolean {
  for (const pattern of patterns) {
    if (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern) return true;
  }
  return false;
}

function pickHeaders(headers: Record<string, string | string[] | undefined>, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (value !== undefined) picked[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return picked;
}
