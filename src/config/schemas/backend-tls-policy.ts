// gateway.networking.k8s.io BackendTLSPolicy (v1alpha3, v1): how the gateway verifies the TLS
// certificate of a Service it forwards to. Here a Service is the gatehouse.dev Backend of the
// same name; docs/mtls.md says which fields apply.
import { z } from 'zod';
import { resourceSchema, targetRefSchema } from './common.ts';

const localObjectReferenceSchema = z.strictObject({
  group: z.literal('').optional(),
  kind: z.enum(['ConfigMap', 'Secret'], { error: 'caCertificateRefs kind must be ConfigMap or Secret' }),
  name: z.string().min(1),
});

const subjectAltNameSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('Hostname'), hostname: z.string().min(1) }),
  z.strictObject({ type: z.literal('URI'), uri: z.string().min(1) }),
]);

export const backendTlsPolicySchema = resourceSchema(
  ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1alpha3'],
  'BackendTLSPolicy',
  z.strictObject({
    targetRefs: z.array(targetRefSchema).min(1),
    validation: z
      .strictObject({
        caCertificateRefs: z.array(localObjectReferenceSchema).min(1).optional(),
        wellKnownCACertificates: z.literal('System').optional(),
        hostname: z.string().min(1),
        subjectAltNames: z.array(subjectAltNameSchema).optional(),
      })
      .refine((validation) => (validation.caCertificateRefs === undefined) !== (validation.wellKnownCACertificates === undefined), {
        error: 'set exactly one of caCertificateRefs or wellKnownCACertificates',
      }),
    options: z.record(z.string(), z.string()).optional(),
  }),
);
export type BackendTlsPolicyResource = z.infer<typeof backendTlsPolicySchema>;
