// The workload's key pair and its PKCS#10 certificate request (RFC 2986), made here so the private
// key never leaves the process: only the CSR goes to the CA, which decides the SPIFFE ID and DNS
// names itself. Hand-encoded DER keeps the SDK free of an X.509 dependency: the request is tiny
// (empty subject, no attributes) and ECDSA P-256 with SHA-256 (RFC 5758 §3.2) is the only shape.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';

export interface WorkloadKey {
  readonly privateKeyPem: string;
  readonly privateKey: KeyObject;
}

export function generateWorkloadKey(): WorkloadKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string };
}

export function loadWorkloadKey(privateKeyPem: string): WorkloadKey {
  return { privateKeyPem, privateKey: createPrivateKey(privateKeyPem) };
}

function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const SEQUENCE = 0x30;
const VERSION_1 = tlv(0x02, Buffer.from([0]));
const EMPTY_NAME = tlv(SEQUENCE);
const NO_ATTRIBUTES = tlv(0xa0);
// AlgorithmIdentifier { ecdsa-with-SHA256 (1.2.840.10045.4.3.2) }, parameters absent (RFC 5758 §3.2).
const ECDSA_WITH_SHA256 = tlv(SEQUENCE, Buffer.from('06082a8648ce3d040302', 'hex'));

/** A PEM CSR for the key: CertificationRequest ::= SEQUENCE { info, algorithm, signature BIT STRING }. */
export function certificateRequestPem(key: WorkloadKey): string {
  const spki = createPublicKey(key.privateKey).export({ format: 'der', type: 'spki' });
  const info = tlv(SEQUENCE, VERSION_1, EMPTY_NAME, spki, NO_ATTRIBUTES);
  const signature = sign('sha256', info, { key: key.privateKey, dsaEncoding: 'der' });
  const request = tlv(SEQUENCE, info, ECDSA_WITH_SHA256, tlv(0x03, Buffer.from([0]), signature));
  const base64 = request.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE REQUEST-----\n${base64}\n-----END CERTIFICATE REQUEST-----\n`;
}

/**
 * The proof a key-changing renewal needs (docs/pki.md): a compact JWS by the current key over
 * the new CSR's SHA-256 and the time, so only the current key's holder can move to a new key.
 */
export async function renewalProof(currentKey: WorkloadKey, csrPem: string): Promise<string> {
  const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const payload = { csr: createHash('sha256').update(der).digest('base64url'), iat: Math.floor(Date.now() / 1000) };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'ES256' }).sign(currentKey.privateKey);
}
