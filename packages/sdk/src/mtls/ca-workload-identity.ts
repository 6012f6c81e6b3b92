// Workload material from the Gatehouse CA: the key pair is made here, a CSR goes to
// POST /ca/v1/sign with a one-time join token or a client-credentials token, and the certificate
// is renewed at two thirds of its lifetime — the point Istio and SPIFFE agents use — leaving a
// third to retry. Each renewal moves to a fresh key (POST /ca/v1/renew with a proof signed by
// the current key), so a key is never used longer than one certificate. Bundle and CRL are
// fetched and refreshed, so a rotated root and a revoked peer reach this workload without a restart.
import { fetchCrl, fetchTrustBundle, renewCertificate, signCertificate, type IssuedWorkloadCertificate } from './ca-client.ts';
import { MaterialHolder, pemBlocks, type WorkloadIdentity } from './workload-material.ts';
import { certificateRequestPem, generateWorkloadKey, renewalProof, type WorkloadKey } from './workload-key.ts';

export interface CaWorkloadIdentityOptions {
  /** The identity service's base URL (the CA is under /ca/v1). */
  caUrl: string | URL;
  /** The SPIFFE ID to ask for (a join token fixes it; a client-credentials token must be allowed it). */
  spiffeId?: string;
  dnsNames?: readonly string[];
  ttlSeconds?: number;
  /** `gatehouse ca join-token` output: spent on the first certificate. */
  joinToken?: string;
  /** A client-credentials token for the CA's audience, e.g. `() => client.token({ audience })`; also used when renewal is no longer possible. */
  accessToken?: () => Promise<string>;
  /** How often bundle and CRL are fetched (default 60 s). */
  trustRefreshMs?: number;
  onError?: (error: Error) => void;
  /** Called after each new certificate (logging). */
  onIssued?: (certificate: IssuedWorkloadCertificate) => void;
}

const MIN_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
// setTimeout holds a signed 32-bit delay; a longer one (two thirds of a certificate of more than
// ~37 days) would fire at once and renew in a loop. Waking early merely renews early.
const MAX_TIMER_MS = 2 ** 31 - 1;

export function workloadIdentityFromCa(options: CaWorkloadIdentityOptions): WorkloadIdentity {
  if (options.joinToken === undefined && options.accessToken === undefined) {
    throw new TypeError('workloadIdentityFromCa needs a joinToken or an accessToken function');
  }
  const holder = new MaterialHolder();
  /** The key of `certificatePem`; both change together. */
  let key: WorkloadKey | undefined;
  let joinToken = options.joinToken;
  let certificatePem: string | undefined;
  let trust: { bundlePem: string; crlPem: string } | undefined;
  let renewTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let renewing: Promise<void> | undefined;

  async function fetchTrust(): Promise<void> {
    const [bundlePem, crlPem] = await Promise.all([fetchTrustBundle(options.caUrl), fetchCrl(options.caUrl)]);
    trust = { bundlePem, crlPem };
  }

  function publish(): void {
    if (certificatePem === undefined || key === undefined || trust === undefined) return;
    holder.set({ certificatePem, privateKeyPem: key.privateKeyPem, bundlePem: trust.bundlePem, crlPems: pemBlocks(trust.crlPem, 'X509 CRL') });
  }

  async function obtain(): Promise<{ issued: IssuedWorkloadCertificate; key: WorkloadKey }> {
    const next = generateWorkloadKey();
    const csr = certificateRequestPem(next);
    const current = holder.loaded;
    // Renew while the current certificate is alive; otherwise start over with a credential.
    if (current !== undefined && key !== undefined && current.notAfter.getTime() > Date.now()) {
      return { issued: await renewCertificate(options.caUrl, csr, current.certificatePem, await renewalProof(key, csr)), key: next };
    }
    const request = { csr, spiffeId: options.spiffeId, dnsNames: options.dnsNames, ttlSeconds: options.ttlSeconds };
    if (joinToken !== undefined) {
      const token = joinToken;
      joinToken = undefined; // single use, whatever the answer
      return { issued: await signCertificate(options.caUrl, request, token), key: next };
    }
    if (options.accessToken === undefined) throw new TypeError('the join token is spent and no accessToken function is configured');
    return { issued: await signCertificate(options.caUrl, request, await options.accessToken()), key: next };
  }

  function schedule(delayMs: number): void {
    if (closed) return;
    clearTimeout(renewTimer);
    renewTimer = setTimeout(() => void renew().catch(() => undefined), Math.min(delayMs, MAX_TIMER_MS));
    renewTimer.unref();
  }

  async function renewOnce(): Promise<void> {
    const requestedAt = Date.now();
    try {
      const { issued, key: issuedKey } = await obtain();
      if (trust === undefined) await fetchTrust();
      key = issuedKey;
      certificatePem = issued.certificate;
      publish();
      options.onIssued?.(issued);
      // Two thirds of the lifetime as seen from here: notBefore is backdated for clock skew.
      schedule(((Date.parse(issued.notAfter) - requestedAt) * 2) / 3);
    } catch (error) {
      const remaining = (holder.loaded?.notAfter.getTime() ?? 0) - Date.now();
      schedule(Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, remaining / 10)));
      options.onError?.(error as Error);
      throw error;
    }
  }

  /** Single flight: a manual renew during a scheduled one joins it. */
  function renew(): Promise<void> {
    renewing ??= renewOnce().finally(() => (renewing = undefined));
    return renewing;
  }

  async function refresh(): Promise<void> {
    await fetchTrust();
    publish();
  }

  const ready = renew();
  ready.catch(() => undefined);
  const trustTimer = setInterval(() => void refresh().catch((error: Error) => options.onError?.(error)), options.trustRefreshMs ?? 60_000);
  trustTimer.unref();

  return {
    ready,
    current: () => holder.current(),
    onChange: (listener) => holder.onChange(listener),
    refresh,
    renew,
    close() {
      closed = true;
      clearTimeout(renewTimer);
      clearInterval(trustTimer);
    },
  };
}
