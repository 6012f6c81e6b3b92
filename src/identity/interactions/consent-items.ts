// What the consent page lists: one line per permission the client asks for and does not hold
// yet (oidc-provider's consent prompt details), worded from the resource's configured scope
// texts, so "orders:read" reads "Read your orders".

export interface ConsentDetails {
  readonly missingOIDCScope?: readonly string[];
  readonly missingOIDCClaims?: readonly string[];
  readonly missingResourceScopes?: Readonly<Record<string, readonly string[]>>;
}

export interface ConsentResource {
  readonly identifier: string;
  readonly name?: string;
  readonly scopes: Readonly<Record<string, string>>;
}

export interface ConsentLine {
  readonly text: string;
  readonly resource?: string;
}

/** OpenID Connect Core §5.4 standard scopes, plus our `roles`. */
const OIDC_SCOPE_TEXT: Readonly<Record<string, string>> = {
  openid: 'Confirm your identity',
  profile: 'See your name and username',
  email: 'See your email address',
  address: 'See your postal address',
  phone: 'See your phone number',
  offline_access: 'Keep this access when you are not using the app',
  roles: 'See your roles and groups',
};

export function oidcScopeText(scope: string): string | undefined {
  return OIDC_SCOPE_TEXT[scope];
}

export function consentLines(
  details: ConsentDetails,
  resources: readonly ConsentResource[],
  scopeText: (scope: string) => string | undefined,
): ConsentLine[] {
  const lines: ConsentLine[] = [];
  for (const scope of details.missingOIDCScope ?? []) {
    lines.push({ text: oidcScopeText(scope) ?? scopeText(scope) ?? scope });
  }
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    const resource = resources.find((candidate) => candidate.identifier === indicator);
    for (const scope of scopes) {
      lines.push({ text: resource?.scopes[scope] ?? scopeText(scope) ?? scope, resource: resource?.name ?? indicator });
    }
  }
  // Only claims were asked for (the `claims` parameter): still say what is shared.
  if (lines.length === 0 && (details.missingOIDCClaims?.length ?? 0) > 0) lines.push({ text: 'See some of your profile information' });
  return lines;
}
