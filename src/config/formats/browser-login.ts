// BrowserLogin documents → model browserLogins. Besides the fields, it checks what would make
// the login loop forever at run time: every targeted route must be verified by a
// RequestAuthentication provider of the same issuer that reads `Authorization: Bearer`, because
// that is how the session's access token is presented to the authenticator.
import type { BrowserLogin } from '../../model/browser-login.ts';
import type { Authentication, JwtProvider, Route } from '../../model/gateway-model.ts';
import { authenticationsFor, targetsRoute } from '../../model/route-targets.ts';
import { parseDurationMs, parseDurationSeconds } from '../duration.ts';
import type { Resources } from '../parse-resources.ts';
import type { Problems } from '../problems.ts';
import { resolveTargetRefs } from '../resolve.ts';
import { resolveSecretSource } from '../resolve-secret-source.ts';

export const BROWSER_LOGIN_DEFAULTS = {
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  callbackPath: '/_gatehouse/callback',
  logoutPath: '/_gatehouse/logout',
  postLogoutPath: '/',
  sessionLifetimeSeconds: 8 * 3600,
  timeoutMs: 5000,
} as const;

/** What the translation needs from the rest of the model. */
export interface BrowserLoginContext {
  routes: Route[];
  providers: JwtProvider[];
  authentications: Authentication[];
}

export function translateBrowserLogins(resources: Resources, problems: Problems, context: BrowserLoginContext): BrowserLogin[] {
  const logins: BrowserLogin[] = [];
  for (const { source, resource } of resources['gatehouse.dev/BrowserLogin']) {
    const spec = resource.spec;
    const site = (path: string) => ({ source, path });
    const targets = resolveTargetRefs(resources, problems, site('spec.targetRefs'), spec.targetRefs ?? []);
    const clientSecret = resolveSecretSource(resources, problems, site('spec.clientSecret'), spec.clientSecret);
    const keys = spec.cookie.keys.map((key, index) => {
      const text = resolveSecretSource(resources, problems, site(`spec.cookie.keys[${index}]`), key);
      const bytes = text === undefined ? undefined : decodeKey(text);
      if (text !== undefined && bytes === undefined) {
        problems.at(source, `spec.cookie.keys[${index}]`, 'must be 32 bytes written as base64, base64url or hex (e.g. `openssl rand -base64 32`)');
      }
      return bytes;
    });
    const scopes = spec.scopes ?? [...BROWSER_LOGIN_DEFAULTS.scopes];
    if (!scopes.includes('openid')) problems.at(source, 'spec.scopes', 'must include "openid" (the login needs an ID token)');
    const callbackPath = spec.callbackPath ?? BROWSER_LOGIN_DEFAULTS.callbackPath;
    const logoutPath = spec.logoutPath ?? BROWSER_LOGIN_DEFAULTS.logoutPath;
    if (callbackPath === logoutPath) problems.at(source, 'spec.logoutPath', 'must differ from callbackPath');
    const login: BrowserLogin = {
      name: resource.metadata.name,
      targets,
      issuer: spec.issuer.replace(/\/+$/, ''),
      clientId: spec.clientId,
      clientSecret: clientSecret ?? '',
      scopes,
      callbackPath,
      logoutPath,
      postLogoutPath: spec.postLogoutPath ?? BROWSER_LOGIN_DEFAULTS.postLogoutPath,
      cookie: { keys: keys.filter((key) => key !== undefined), secure: spec.cookie.secure ?? 'auto' },
      sessionLifetimeSeconds: spec.sessionLifetime ? parseDurationSeconds(spec.sessionLifetime) : BROWSER_LOGIN_DEFAULTS.sessionLifetimeSeconds,
      timeoutMs: spec.timeout ? parseDurationMs(spec.timeout) : BROWSER_LOGIN_DEFAULTS.timeoutMs,
      source,
    };
    if (spec.resource !== undefined) login.resource = spec.resource;
    if (spec.externalUrl !== undefined) {
      const external = new URL(spec.externalUrl);
      // An origin only: the callback path is the gateway's own, appended to it.
      if (external.pathname !== '/' || external.search !== '' || external.hash !== '' || external.username !== '' || external.password !== '') {
        problems.at(source, 'spec.externalUrl', 'must be an origin such as "https://app.example.com" (no path, query or fragment)');
      }
      login.externalUrl = external.origin;
    }
    if (spec.cookie.name !== undefined) login.cookie.name = spec.cookie.name;
    if (login.sessionLifetimeSeconds < 60) problems.at(source, 'spec.sessionLifetime', 'must be at least 1m');
    checkVerifiedRoutes(login, context, problems);
    logins.push(login);
  }
  return logins;
}

/** Each targeted route needs a provider for the issuer that reads the Authorization header. */
function checkVerifiedRoutes(login: BrowserLogin, context: BrowserLoginContext, problems: Problems): void {
  const providers = new Map(context.providers.map((provider) => [provider.id, provider]));
  const routes = context.routes.filter((route) => targetsRoute(login.targets, route));
  if (routes.length === 0) problems.warn(login.source, 'targets no route; this BrowserLogin has no effect');
  for (const route of routes) {
    const provider = authenticationsFor(route, context.authentications)
      .flatMap((authentication) => authentication.providerIds)
      .map((id) => providers.get(id))
      .find((candidate) => candidate !== undefined && (candidate.issuer === login.issuer || candidate.issuer === '*') && readsBearerHeader(candidate));
    if (provider === undefined) {
      problems.at(
        login.source,
        'spec.issuer',
        `route ${route.routeName} has no RequestAuthentication jwtRule for issuer "${login.issuer}" reading the Authorization header; the session's access tokens would not be verified there`,
      );
      return;
    }
    // A session token the route refuses would send the browser round the login forever.
    if (login.resource !== undefined && provider.audiences.length > 0 && !provider.audiences.includes(login.resource)) {
      problems.at(login.source, 'spec.resource', `"${login.resource}" is not among the audiences of the jwtRule for "${login.issuer}" (${provider.audiences.join(', ')}); route ${route.routeName} would refuse the session's access tokens`);
      return;
    }
  }
}

function readsBearerHeader(provider: JwtProvider): boolean {
  return provider.locations.some((location) => location.kind === 'header' && location.name.toLowerCase() === 'authorization' && location.prefix?.trim().toLowerCase() === 'bearer');
}

/** 32 bytes as 64 hex digits, or base64 / base64url (43 or 44 characters). */
export function decodeKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)
      ? Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
      : undefined;
  return bytes?.length === 32 ? bytes : undefined;
}
