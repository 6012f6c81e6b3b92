// IdentityService spec.ca: the CA endpoints (/ca/v1) of the identity service — who may obtain
// workload certificates with a client-credentials token, and the longest leaf it hands out.
// The CA itself is created with `gatehouse ca init --config FILE` (docs/pki.md).
import { z } from 'zod';
import { absoluteUrlSchema } from './common.ts';

export const identityCaSchema = z
  .strictObject({
    audience: absoluteUrlSchema.optional().describe('Audience a client-credentials token must carry to be spent at the CA (default: ISSUER/ca); list it under resources'),
    maxTtl: z
      .string()
      .regex(/^(\d+(d|h|m|s))+$/, { error: 'must be a duration such as "1h" or "24h"' })
      .default('24h')
      .describe('Longest workload certificate the endpoints issue'),
    clients: z
      .array(
        z.strictObject({
          clientId: z.string().min(1),
          spiffeIds: z
            .array(z.string().startsWith('spiffe://', { error: 'must be a spiffe:// ID, or a prefix ending in "/*"' }))
            .min(1)
            .describe('SPIFFE IDs this client may request; "spiffe://td/ns/shop/*" allows a path prefix'),
          dnsNames: z.array(z.string().min(1)).default([]).describe('DNS names this client may put in its certificates'),
        }),
      )
      .default([])
      .describe('Clients that may request certificates with a client-credentials token (join tokens need no entry)'),
  })
  .describe('Serve the internal CA under /ca/v1: sign, renew, bundle, crl');
export type IdentityCaSpec = z.infer<typeof identityCaSchema>;
