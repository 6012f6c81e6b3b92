// Calls to the Gatehouse CA on the identity service (docs/pki.md): sign a CSR with a join token
// or a client-credentials token, renew with the current certificate, fetch the trust bundle and
// the CRLs. Failures are WorkloadCertificateErrors carrying the CA's stable error code.
import { WorkloadCertificateError } from './workload-errors.ts';

export interface IssuedWorkloadCertificate {
  readonly serial: string;
  readonly spiffeId: string;
  /** Leaf first, then the intermediate that signed it. */
  readonly certificate: string;
  readonly bundle: string;
  readonly notAfter: string;
}

export interface SignRequest {
  readonly csr: string;
  readonly spiffeId?: string;
  readonly dnsNames?: readonly string[];
  readonly ttlSeconds?: number;
}

const TIMEOUT_MS = 10_000;

function endpoint(caUrl: string | URL, path: string): URL {
  return new URL(`ca/v1/${path}`, String(caUrl).endsWith('/') ? caUrl : `${caUrl}/`);
}

async function call(url: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new WorkloadCertificateError('ERR_GATEHOUSE_CA_UNREACHABLE', `the CA at ${url.origin} could not be reached`, { cause: error });
  }
}

async function postJson(url: URL, body: object, bearer?: string): Promise<IssuedWorkloadCertificate> {
  const response = await call(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(bearer !== undefined && { authorization: `Bearer ${bearer}` }) },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as Partial<IssuedWorkloadCertificate> & { error?: string; message?: string };
  if (response.status !== 201 || typeof answer.certificate !== 'string') {
    throw new WorkloadCertificateError('ERR_GATEHOUSE_CA_REFUSED', `the CA refused: ${answer.message ?? response.status}`, { caError: answer.error });
  }
  return answer as IssuedWorkloadCertificate;
}

async function getPem(url: URL): Promise<string> {
  const response = await call(url, { headers: { accept: 'application/x-pem-file' } });
  const text = await response.text();
  if (!response.ok || !text.includes('-----BEGIN')) throw new WorkloadCertificateError('ERR_GATEHOUSE_CA_REFUSED', `GET ${url.pathname} answered ${response.status}`);
  return text;
}

/** POST /ca/v1/sign; `bearer` is a one-time join token (gjt_…) or a client-credentials access token. */
export function signCertificate(caUrl: string | URL, request: SignRequest, bearer: string): Promise<IssuedWorkloadCertificate> {
  return postJson(endpoint(caUrl, 'sign'), request, bearer);
}

/** POST /ca/v1/renew with the current certificate; a CSR for a new key also needs `proof` (renewalProof). */
export function renewCertificate(caUrl: string | URL, csr: string, certificate: string, proof?: string): Promise<IssuedWorkloadCertificate> {
  return postJson(endpoint(caUrl, 'renew'), { csr, certificate, ...(proof !== undefined && { proof }) });
}

export function fetchTrustBundle(caUrl: string | URL): Promise<string> {
  return getPem(endpoint(caUrl, 'bundle'));
}

export function fetchCrl(caUrl: string | URL): Promise<string> {
  return getPem(endpoint(caUrl, 'crl'));
}
