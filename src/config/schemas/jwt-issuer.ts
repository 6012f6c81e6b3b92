// gatehouse.dev/v1alpha1 JWTIssuer: what Istio's jwtRules have no word for, keyed by issuer.
// A JWTIssuer adds to every jwtRule whose `issuer` equals its `spec.issuer`.
import { z } from 'zod';
import { ASYMMETRIC_ALGORITHMS, HMAC_ALGORITHMS } from '../defaults.ts';
import { absoluteUrlSchema, durationSchema, resourceSchema } from './common.ts';

const algorithmSchema = z.enum([...ASYMMETRIC_ALGORITHMS, ...HMAC_ALGORITHMS], {
  error: `algorithm must be one of ${[...ASYMMETRIC_ALGORITHMS, ...HMAC_ALGORITHMS].join(', ')} ("none" is never accepted)`,
});

export const jwtIssuerSpecSchema = z
  .strictObject({
    issuer: z.string().min(1).describe('Exact `iss` of the jwtRules this resource extends'),
    realm: z.string().min(1).optional().describe('RFC 6750 realm in WWW-Authenticate (default "gatehouse")'),
    loginUrl: absoluteUrlSchema.optional().describe('Browsers (Accept: text/html) are redirected here on 401, with the original URL appended'),
    clockSkew: durationSchema.optional().describe('Leeway for exp/nbf/iat (default 60s)'),
    algorithms: z.array(algorithmSchema).min(1).optional().describe('Pinned algorithms (default: every asymmetric algorithm)'),
    requiredClaims: z.array(z.string().min(1)).optional().describe('Claims every token must carry'),
    maxTokenLifetime: durationSchema.optional().describe('Reject tokens whose exp - iat exceeds this'),
    requireExp: z.boolean().optional().describe('Reject tokens without exp (default true)'),
    jwksFile: z.string().min(1).optional().describe('Local JWK set file, relative to this YAML file'),
    discovery: z.boolean().optional().describe('Find jwks_uri via {issuer}/.well-known/openid-configuration'),
    hmacSecretEnv: z.string().min(1).optional().describe('Name of the environment variable holding the HS* shared secret'),
    hmacSecretRef: z
      .strictObject({ name: z.string().min(1), key: z.string().min(1).optional() })
      .optional()
      .describe('Secret (and key, default "secret") holding the HS* shared secret'),
    jwksRefresh: z
      .strictObject({
        min: durationSchema.optional().describe('Shortest background refresh interval (default 30s)'),
        max: durationSchema.optional().describe('Longest background refresh interval (default 1h)'),
        unknownKidCooldown: durationSchema.optional().describe('At most one refetch per this for unknown kids (default 30s)'),
      })
      .optional(),
  })
  .describe('Gatehouse settings for one JWT issuer, merged into the matching Istio jwtRules');

export const jwtIssuerSchema = resourceSchema(['gatehouse.dev/v1alpha1'], 'JWTIssuer', jwtIssuerSpecSchema);
export type JwtIssuerResource = z.infer<typeof jwtIssuerSchema>;
