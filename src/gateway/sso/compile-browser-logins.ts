// Compiles the model's BrowserLogins for a generation: one runtime per login (OIDC client on the
// issuer's key set, cookie sealer), the routes each covers, and where its callback and logout
// paths answer — on every listener port and host its routes are served on, even where no route
// matches those paths (they are the gateway's own, like oauth2-proxy's /oauth2/*).
import type { KeySetRegistry } from '../../authn/key-set-registry.ts';
import type { BrowserLogin } from '../../model/browser-login.ts';
import type { GatewayModel, JwtProvider, Route } from '../../model/gateway-model.ts';
import { targetsRoute } from '../../model/route-targets.ts';
import type { GatewayLogger } from '../../observability/logger.ts';
import { ANY_HOST, routeAttachment, wildcardCovers } from '../routing/route-attachment.ts';
import { BrowserLoginRuntime } from './browser-login-runtime.ts';
import { createCookieSealer } from './cookie-seal.ts';
import { OidcClient } from './oidc-client.ts';

export interface LoginEndpoints {
  runtime: BrowserLoginRuntime;
  /** Listener port → host keys (exact, `*.suffix`, ANY_HOST) the login's routes are served on. */
  attachment: Map<number, Set<string>>;
}

export interface CompiledBrowserLogins {
  byRoute: Map<Route, BrowserLoginRuntime>;
  endpoints: LoginEndpoints[];
  /** Every cookie name a login may use (session and state cookies, both default names). */
  cookieNames: string[];
}

export function compileBrowserLogins(model: GatewayModel, services: { registry: KeySetRegistry; logger: GatewayLogger }): CompiledBrowserLogins | undefined {
  const logins = model.browserLogins ?? [];
  if (logins.length === 0) return undefined;
  const byRoute = new Map<Route, BrowserLoginRuntime>();
  const endpoints: LoginEndpoints[] = [];
  let runtimes = runtimesByRegistry.get(services.registry);
  if (runtimes === undefined) runtimesByRegistry.set(services.registry, (runtimes = new Map()));
  const used = new Set<string>();
  for (const login of logins) {
    const provider = providerFor(login, model.providers);
    // Config validation requires a provider on every covered route: without one, nothing is covered.
    if (provider === undefined) continue;
    const runtime = runtimeFor(login, provider, services, runtimes, used);
    // Load the issuer's metadata now, so the first navigation need not wait for it.
    void runtime.client.discover();
    const attachment = new Map<number, Set<string>>();
    for (const route of model.routes) {
      if (!targetsRoute(login.targets, route)) continue;
      if (!byRoute.has(route)) byRoute.set(route, runtime);
      for (const [port, hosts] of routeAttachment(route, model.listeners)) {
        let set = attachment.get(port);
        if (set === undefined) attachment.set(port, (set = new Set()));
        for (const host of hosts) set.add(host);
      }
    }
    endpoints.push({ runtime, attachment });
  }
  for (const fingerprint of runtimes.keys()) if (!used.has(fingerprint)) runtimes.delete(fingerprint);
  const cookieNames = logins.flatMap((login) => {
    const sessions = login.cookie.name !== undefined ? [login.cookie.name] : ['__Host-gatehouse', 'gatehouse_session'];
    return sessions.flatMap((name) => [name, `${name}-login`]);
  });
  return { byRoute, endpoints, cookieNames };
}

// Runtimes outlive generations while their login is unchanged (like key sets): a reload neither
// refetches the issuer's metadata nor forgets the refreshes in flight and just finished.
const runtimesByRegistry = new WeakMap<KeySetRegistry, Map<string, BrowserLoginRuntime>>();

function runtimeFor(
  login: BrowserLogin, provider: JwtProvider, services: { registry: KeySetRegistry; logger: GatewayLogger },
  runtimes: Map<string, BrowserLoginRuntime>, used: Set<string>,
): BrowserLoginRuntime {
  const keySet = services.registry.keySetFor(provider);
  const { source: _source, cookie, ...settings } = login;
  const fingerprint = JSON.stringify([settings, cookie.name, cookie.secure, cookie.keys.map((key) => key.toString('hex')), provider.algorithms, provider.clockSkewSeconds]);
  used.add(fingerprint);
  const existing = runtimes.get(fingerprint);
  if (existing !== undefined && existing.client.keySet === keySet) return existing;
  const client = new OidcClient(login, keySet, provider);
  const runtime = new BrowserLoginRuntime(login, client, createCookieSealer(login.cookie.keys), services.logger);
  runtimes.set(fingerprint, runtime);
  return runtime;
}

/** The login whose callback or logout path this is, on this listener port and host. */
export function endpointFor(endpoints: readonly LoginEndpoints[], port: number, host: string, path: string): BrowserLoginRuntime | undefined {
  for (const { runtime, attachment } of endpoints) {
    if (path !== runtime.login.callbackPath && path !== runtime.login.logoutPath) continue;
    const hosts = attachment.get(port);
    if (hosts === undefined) continue;
    if (hosts.has(ANY_HOST) || hosts.has(host)) return runtime;
    for (const key of hosts) if (key.startsWith('*.') && wildcardCovers(key, host)) return runtime;
  }
  return undefined;
}

/** The provider whose key set verifies this login's ID tokens. */
function providerFor(login: BrowserLogin, providers: readonly JwtProvider[]): JwtProvider | undefined {
  return providers.find((candidate) => candidate.issuer === login.issuer) ?? providers.find((candidate) => candidate.issuer === '*');
}
