// gatehouse.dev/v1alpha1 GatewayIdentity: who the gateway is when it signs internal tokens for
// its backends (Backend `spec.internalToken`). At most one per configuration.
import { z } from 'zod';
import { absoluteUrlSchema, durationSchema, resourceSchema } from './common.ts';

export const gatewayIdentitySpecSchema = z
  .strictObject({
    issuer: absoluteUrlSchema.describe('`iss` of every internal token, e.g. "https://gateway.example.com"'),
    signingKeyFile: z
      .string()
      .min(1)
      .optional()
      .describe('Private EC P-256 JWK (JSON with "d"), relative to this file; share it so several instances sign with one key. Default: a key generated at start'),
    tokenLifetime: durationSchema.optional().describe('Lifetime of an internal token, e.g. "60s" (default 60s, at most 10m)'),
  })
  .describe('The issuer and signing key of the internal tokens the gateway forwards to backends');

export const gatewayIdentitySchema = resourceSchema(['gatehouse.dev/v1alpha1'], 'GatewayIdentity', gatewayIdentitySpecSchema);
export type GatewayIdentityResource = z.infer<typeof gatewayIdentitySchema>;
