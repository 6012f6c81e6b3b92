// What the interaction pages need from the rest of the identity service, as narrow structural
// types: the accounts module and the IdentityService config satisfy them as they are.
import type { IncomingMessage } from 'node:http';
import type { Provider } from 'oidc-provider';
import type { ConsentResource } from './consent-items.ts';

export type AuthenticateResult =
  | { readonly ok: true; readonly user: { readonly id: string; readonly username: string } }
  | { readonly ok: false; readonly reason: 'invalid' | 'locked'; readonly retryAfterSeconds?: number };

export interface InteractionAccounts {
  /** Checks the password through the login throttle (src/identity/accounts.ts). */
  authenticate(username: string, password: string, ip: string, now: number): Promise<AuthenticateResult>;
  /** oidc-provider's account lookup (its context is not used); names the signed-in user on the consent page. */
  findAccount?(ctx: unknown, sub: string): Promise<{ claims(use: string, scope: string): Promise<Record<string, unknown>> } | undefined>;
}

export interface InteractionPagesConfig {
  /** The provider's cookie keys; the first signs CSRF tokens, all verify. */
  readonly cookieKeys: readonly string[];
  /** Resource servers and the consent text of each of their scopes. */
  readonly resources: readonly ConsentResource[];
}

export interface ClientDisplay {
  readonly name: string;
  /** First-party client: consent is not asked. */
  readonly trusted: boolean;
}

export interface PageLogger {
  error(fields: object, message: string): void;
}

export interface InteractionRoutesDeps {
  /** The current provider (the server swaps it when the signing keys change). */
  readonly getProvider: () => Provider;
  readonly accounts: InteractionAccounts;
  readonly config: InteractionPagesConfig;
  /** Consent text for a scope no resource describes; built-in OIDC texts come first. */
  readonly scopeText?: (scope: string) => string | undefined;
  /** Overrides how a client's display name and trust are found (default: the provider's Client model). */
  readonly clientInfo?: (clientId: string) => Promise<ClientDisplay | undefined>;
  readonly logger?: PageLogger;
  /** The IP the login throttle counts against (default: the socket address; src/identity/client-address.ts). */
  readonly clientAddress?: (req: IncomingMessage) => string;
}
