// security.istio.io/v1 (and v1beta1) AuthorizationPolicy. Only the top-level shape is checked
// here; the authorization stage compiles (and validates) the rules themselves.
import { z } from 'zod';
import { resourceSchema, targetRefSchema } from './common.ts';

export const authorizationPolicySchema = resourceSchema(
  ['security.istio.io/v1', 'security.istio.io/v1beta1'],
  'AuthorizationPolicy',
  z.strictObject({
    selector: z.strictObject({ matchLabels: z.record(z.string(), z.string()).optional() }).optional(),
    targetRef: targetRefSchema.optional(),
    targetRefs: z.array(targetRefSchema).optional(),
    action: z.enum(['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']).optional(),
    provider: z.strictObject({ name: z.string().min(1) }).optional(),
    rules: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
);
export type AuthorizationPolicyResource = z.infer<typeof authorizationPolicySchema>;
