// Kubernetes `v1 Secret`: TLS certificates (kubernetes.io/tls), NGINX JWK sets (nginx.org/jwk) and
// HMAC shared secrets (Opaque). `data` values are base64 (as kubectl writes them); `stringData`
// values are plain text, as Kubernetes accepts on write.
import { z } from 'zod';
import { metadataSchema } from './common.ts';

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;

export const secretSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Secret'),
  metadata: metadataSchema,
  type: z.string().default('Opaque'),
  data: z.record(z.string(), z.string().regex(BASE64, { error: 'must be base64 (use stringData for plain text)' })).optional(),
  stringData: z.record(z.string(), z.string()).optional(),
  immutable: z.boolean().optional(),
});
export type SecretResource = z.infer<typeof secretSchema>;

/** The decoded value of `key`: stringData wins over data, as in Kubernetes. */
export function secretValue(secret: SecretResource, key: string): string | undefined {
  const plain = secret.stringData?.[key];
  if (plain !== undefined) return plain;
  const encoded = secret.data?.[key];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}
