// gateway.networking.k8s.io/v1 Gateway: listeners (port, protocol, TLS certificate Secret).
import { z } from 'zod';
import { resourceSchema } from './common.ts';

const certificateRefSchema = z.strictObject({
  group: z.literal('').optional(),
  kind: z.literal('Secret').optional(),
  name: z.string().min(1),
  namespace: z.string().optional(),
});

// Gateway API (GEP-91) client-certificate validation on an HTTPS listener: CA bundles from
// ConfigMaps (key ca.crt, the Core form) or Secrets; `mode` as in the later Gateway-level form.
const frontendValidationSchema = z.strictObject({
  caCertificateRefs: z
    .array(
      z.strictObject({
        group: z.literal('').optional(),
        kind: z.enum(['ConfigMap', 'Secret'], { error: 'caCertificateRefs kind must be ConfigMap or Secret' }).optional(),
        name: z.string().min(1),
        namespace: z.string().optional(),
      }),
    )
    .min(1),
  mode: z.enum(['AllowValidOnly', 'AllowInsecureFallback']).optional(),
});

const listenerSchema = z.strictObject({
  name: z.string().min(1),
  hostname: z.string().optional(),
  port: z.int().min(0).max(65535),
  protocol: z.enum(['HTTP', 'HTTPS'], { error: 'protocol must be HTTP or HTTPS' }),
  tls: z
    .strictObject({
      mode: z.literal('Terminate', { error: 'only tls.mode Terminate is supported' }).optional(),
      // Optional only with the gatehouse.dev/certificate-ca-dir option (a CA-issued certificate).
      certificateRefs: z.array(certificateRefSchema).min(1).optional(),
      options: z.record(z.string(), z.string()).optional(),
      frontendValidation: frontendValidationSchema.optional(),
    })
    .optional(),
  // Accepted so Kubernetes manifests load unchanged; one process serves every route it is given.
  allowedRoutes: z.unknown().optional(),
});

export const gatewaySchema = resourceSchema(
  ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'],
  'Gateway',
  z.strictObject({
    gatewayClassName: z.string().optional(),
    addresses: z.array(z.strictObject({ type: z.string().optional(), value: z.string().min(1) })).optional(),
    listeners: z.array(listenerSchema).min(1),
  }),
);
export type GatewayResource = z.infer<typeof gatewaySchema>;
