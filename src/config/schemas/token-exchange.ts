// gatehouse.dev/v1alpha1 TokenExchange: the phantom-token pattern (docs/phantom-tokens.md). On the
// routes it targets, an opaque token (an API token `gat_…` or any token that is not a JWT) is
// swapped for a JWT at the identity service (RFC 8693 token exchange) before it is verified.
import { z } from 'zod';
import { absoluteUrlSchema, durationSchema, resourceSchema, targetRefSchema } from './common.ts';
import { secretSourceSchema } from './secret-source.ts';

export const tokenExchangeSpecSchema = z
  .strictObject({
    targetRefs: z.array(targetRefSchema).optional().describe('Gateways or HTTPRoutes where opaque tokens are exchanged (default: every route)'),
    tokenEndpoint: absoluteUrlSchema.describe('The identity service\'s token endpoint, e.g. "http://127.0.0.1:9000/token"'),
    clientId: z.string().min(1).describe('The gateway\'s OAuth client, allowed the token-exchange grant'),
    clientSecret: secretSourceSchema.describe('The client secret: {env: NAME}, {file: PATH}, {secretRef: {name, key}} or {value: …} (tests only)'),
    audience: z.string().min(1).describe('The `resource` (RFC 8707) the JWT is requested for: its `aud`, which a jwtRule must accept'),
    timeout: durationSchema.optional().describe('Deadline of one exchange, e.g. "2s" (default 2s); an unreachable identity service answers 503'),
    cacheSize: z.int().positive().optional().describe('Exchanged JWTs kept in memory, by SHA-256 of the opaque token (default 10000)'),
  })
  .describe('Swap opaque tokens for JWTs at the identity service before verifying them (phantom tokens)');

export const tokenExchangeSchema = resourceSchema(['gatehouse.dev/v1alpha1'], 'TokenExchange', tokenExchangeSpecSchema);
export type TokenExchangeResource = z.infer<typeof tokenExchangeSchema>;
