// gatehouse.dev/v1alpha1 RateLimitPolicy: budgets per client key on the routes it targets,
// counted in memory (one instance) or in Redis (every instance shares one budget).
import { z } from 'zod';
import { durationSchema, resourceSchema, targetRefSchema } from './common.ts';

const keyPartSchema = z.union(
  [
    z.enum(['clientIp', 'apiToken']),
    z.strictObject({ claim: z.string().min(1) }),
    z.strictObject({ header: z.string().min(1) }),
  ],
  { error: 'a key part is clientIp, apiToken, {claim: <path>} or {header: <name>}' },
);

const limitSchema = z.strictObject({
  requests: z.int().positive(),
  /** `second`, `minute`, `hour`, or a whole number of seconds as a duration ("10s", "1m30s"). */
  per: z.union([z.enum(['second', 'minute', 'hour']), durationSchema]),
  /** Extra requests allowed above `requests` when a client is bursty (default 0). */
  burst: z.int().nonnegative().optional(),
});

export const rateLimitPolicySchema = resourceSchema(
  ['gatehouse.dev/v1alpha1'],
  'RateLimitPolicy',
  z.strictObject({
    targetRefs: z.array(targetRefSchema).optional(),
    limits: z.array(limitSchema).min(1),
    /** One part or a list combined into one key; default clientIp. */
    key: z.union([keyPartSchema, z.array(keyPartSchema).min(1)]).optional(),
    backend: z.enum(['memory', 'redis']).optional(),
    redis: z
      .strictObject({
        url: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }),
        /** Prefix of the Redis keys (default `gatehouse:ratelimit:<policy name>`). */
        keyPrefix: z.string().min(1).optional(),
      })
      .optional(),
    onRedisFailure: z.enum(['local', 'open']).optional(),
  }),
);
export type RateLimitPolicyResource = z.infer<typeof rateLimitPolicySchema>;
