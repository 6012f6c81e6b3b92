// JSON Schemas of the Gatehouse kinds, generated from the same zod schemas that validate
// configs (STYLE.md: types at the edges), so editors and CI can check YAML before Gatehouse runs.
import { z } from 'zod';
import { accessPolicySchema } from './schemas/access-policy.ts';
import { backendSchema } from './schemas/backend.ts';
import { browserLoginSchema } from './schemas/browser-login.ts';
import { extAuthzProviderSchema } from './schemas/ext-authz-provider.ts';
import { gatewayOptionsSchema } from './schemas/gateway-options.ts';
import { gatewayIdentitySchema } from './schemas/gateway-identity.ts';
import { identityServiceSchema } from './schemas/identity-service.ts';
import { jwtIssuerSchema } from './schemas/jwt-issuer.ts';
import { rateLimitPolicySchema } from './schemas/rate-limit-policy.ts';
import { revocationFeedSchema } from './schemas/revocation-feed.ts';
import { tokenExchangeSchema } from './schemas/token-exchange.ts';

const GATEHOUSE_KINDS = { Backend: backendSchema, JWTIssuer: jwtIssuerSchema, AccessPolicy: accessPolicySchema, ExtAuthzProvider: extAuthzProviderSchema, RateLimitPolicy: rateLimitPolicySchema, GatewayOptions: gatewayOptionsSchema, GatewayIdentity: gatewayIdentitySchema, IdentityService: identityServiceSchema, TokenExchange: tokenExchangeSchema, RevocationFeed: revocationFeedSchema, BrowserLogin: browserLoginSchema } as const;

/** File name (`<Kind>.schema.json`) → file content, for every Gatehouse kind. */
export function gatehouseJsonSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [kind, schema] of Object.entries(GATEHOUSE_KINDS)) {
    // `input`: fields with defaults are optional in what users write.
    const jsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
    const document = { $id: `https://gatehouse.dev/schema/${kind}.schema.json`, title: `gatehouse.dev/v1alpha1 ${kind}`, ...jsonSchema };
    files.set(`${kind}.schema.json`, `${JSON.stringify(document, null, 2)}\n`);
  }
  return files;
}
