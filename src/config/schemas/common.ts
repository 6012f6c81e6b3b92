// Pieces every resource schema shares: the Kubernetes envelope, metadata and durations.
import { z } from 'zod';
import { DURATION_PATTERN } from '../duration.ts';

/** Metadata is loose: `kubectl get -o yaml` output carries uid, managedFields, resourceVersion… */
export const metadataSchema = z.looseObject({
  name: z.string().min(1, { error: 'metadata.name must not be empty' }),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  /** RFC 3339; Gateway API breaks route-precedence ties by the oldest route. */
  creationTimestamp: z.string().optional(),
});

export const durationSchema = z
  .string()
  .regex(DURATION_PATTERN, { error: 'must be a duration such as "5s", "500ms" or "1m30s"' });

export const absoluteUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

/** A Kubernetes resource: `apiVersion`, `kind`, `metadata`, `spec` (and an ignored `status`). */
export function resourceSchema<Spec extends z.ZodType>(apiVersions: readonly [string, ...string[]], kind: string, spec: Spec) {
  return z.strictObject({
    apiVersion: z.enum(apiVersions, { error: `must be ${apiVersions.map((v) => `"${v}"`).join(' or ')} for kind ${kind}` }),
    kind: z.literal(kind),
    metadata: metadataSchema,
    spec,
    status: z.unknown().optional(),
  });
}

/** `{group, kind, name}` references as Gateway API and Istio targetRefs write them. */
export const targetRefSchema = z.strictObject({
  group: z.string().optional(),
  kind: z.string(),
  name: z.string().min(1),
  namespace: z.string().optional(),
  sectionName: z.string().optional(),
});
export type TargetRefSpec = z.infer<typeof targetRefSchema>;
