// gatehouse.dev/v1alpha1 RevocationFeed: the Redis this gateway hears revocations on (the identity
// service publishes them there); see docs/revocation.md. At most one per configuration.
import { z } from 'zod';
import { resourceSchema } from './common.ts';

export const revocationFeedSpecSchema = z
  .strictObject({
    redis: z
      .strictObject({
        url: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).describe('The Redis the identity service publishes revocations to'),
        keyPrefix: z
          .string()
          .min(1)
          .optional()
          .describe('Prefix of the sorted set and channel, as in the identity service\'s revocation.keyPrefix (default "gatehouse:")'),
      })
      .describe('Where revocations are published'),
    issuers: z
      .array(z.string().min(1))
      .optional()
      .describe('Only tokens of these issuers are checked (default: every issuer); name the identity service\'s issuer when several issuers are configured'),
  })
  .describe('Refuse revoked tokens: a subscription to the revocations the identity service publishes');

export const revocationFeedSchema = resourceSchema(['gatehouse.dev/v1alpha1'], 'RevocationFeed', revocationFeedSpecSchema);
export type RevocationFeedResource = z.infer<typeof revocationFeedSchema>;
