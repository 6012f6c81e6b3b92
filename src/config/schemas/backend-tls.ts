// gatehouse.dev/v1alpha1 Backend spec.tls: how the gateway verifies an https:// service and
// which client certificate it presents (docs/mtls.md).
import { z } from 'zod';
import { durationSchema } from './common.ts';

const pemSourceSchema = z
  .strictObject({
    file: z.string().min(1).optional().describe('PEM file, relative to this config file'),
    configMapRef: z.strictObject({ name: z.string().min(1), key: z.string().optional() }).optional().describe('ConfigMap (key default ca.crt)'),
    secretRef: z.strictObject({ name: z.string().min(1), key: z.string().optional() }).optional().describe('Secret (key default ca.crt)'),
  })
  .refine((source) => [source.file, source.configMapRef, source.secretRef].filter((value) => value !== undefined).length === 1, {
    error: 'name exactly one of file, configMapRef or secretRef',
  });

export const backendTlsSchema = z
  .strictObject({
    caBundle: pemSourceSchema.describe('Roots the service certificate must chain to'),
    crl: z.strictObject({ file: z.string().min(1) }).optional().describe('CRL PEM file (e.g. `gatehouse ca crl` output); revoked service certificates are refused'),
    expectedSpiffeId: z.string().startsWith('spiffe://').optional().describe('URI SAN the service certificate must carry'),
    expectedDnsName: z.string().min(1).optional().describe('DNS SAN the service certificate must match; also sent as SNI'),
    clientCertificate: z
      .strictObject({
        secretRef: z.strictObject({ name: z.string().min(1) }).optional().describe('kubernetes.io/tls Secret'),
        ca: z
          .strictObject({
            dir: z.string().min(1).describe('Directory CA (`gatehouse ca init --dir`), relative to this config file'),
            spiffeId: z.string().startsWith('spiffe://').describe("The gateway's SPIFFE ID"),
            dnsNames: z.array(z.string().min(1)).optional(),
            ttl: durationSchema.optional().describe("Leaf lifetime (default: the CA's, 24h); renewed at two thirds"),
          })
          .optional()
          .describe('Issued by the directory CA at start and renewed before expiry'),
      })
      .refine((client) => (client.secretRef === undefined) !== (client.ca === undefined), { error: 'name exactly one of secretRef or ca' })
      .optional()
      .describe('Client certificate for mutual TLS'),
  })
  .refine((tls) => tls.expectedSpiffeId !== undefined || tls.expectedDnsName !== undefined, {
    error: 'name the identity the service must prove: expectedSpiffeId and/or expectedDnsName',
  });
export type BackendTlsSpec = z.infer<typeof backendTlsSchema>;
