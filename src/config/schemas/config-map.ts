// Kubernetes `v1 ConfigMap`: the Gateway API's Core way to hand over a CA bundle (key `ca.crt`)
// for Gateway tls.frontendValidation and BackendTLSPolicy validation.caCertificateRefs.
import { z } from 'zod';
import { metadataSchema } from './common.ts';

export const configMapSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('ConfigMap'),
  metadata: metadataSchema,
  data: z.record(z.string(), z.string()).optional(),
  binaryData: z.record(z.string(), z.string()).optional(),
  immutable: z.boolean().optional(),
});
export type ConfigMapResource = z.infer<typeof configMapSchema>;
