// Workload material from files — what `gatehouse ca issue`, a Kubernetes Secret mount or a
// SPIFFE helper writes — re-read when they change (polled: renames by atomic writers and
// Secret symlink swaps defeat fs.watch). A half-written pair (key and certificate not matching
// yet) keeps the previous material until the next poll. With `caUrl`, the CRL (and the bundle,
// when no bundleFile is given) comes from the CA and is refreshed.
import { readFile, stat } from 'node:fs/promises';
import { fetchCrl, fetchTrustBundle } from './ca-client.ts';
import { WorkloadCertificateError } from './workload-errors.ts';
import { MaterialHolder, pemBlocks, type WorkloadIdentity } from './workload-material.ts';

export interface FileWorkloadIdentityOptions {
  certificateFile: string;
  keyFile: string;
  /** Roots to trust; optional only with caUrl. */
  bundleFile?: string;
  /** CRLs (`gatehouse ca crl` output); without it and without caUrl, revocation is not checked. */
  crlFile?: string;
  /** The identity service's base URL: CRL (and bundle) from GET /ca/v1/crl, /ca/v1/bundle. */
  caUrl?: string | URL;
  /** How often files are checked for changes (default 2000 ms). */
  pollIntervalMs?: number;
  /** How often the CRL and bundle are fetched from caUrl (default 60 s). */
  trustRefreshMs?: number;
  /** Background failures (a bad file, an unreachable CA); the previous material stays in use. */
  onError?: (error: Error) => void;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new WorkloadCertificateError('ERR_GATEHOUSE_WORKLOAD_FILES', `cannot read ${path}`, { cause: error });
  }
}

export function workloadIdentityFromFiles(options: FileWorkloadIdentityOptions): WorkloadIdentity {
  if (options.bundleFile === undefined && options.caUrl === undefined) throw new TypeError('workloadIdentityFromFiles needs bundleFile or caUrl');
  const holder = new MaterialHolder();
  const files = [options.certificateFile, options.keyFile, options.bundleFile, options.crlFile].filter((file): file is string => file !== undefined);
  let fingerprint = '';
  let fetched: { bundlePem?: string; crlPem?: string } = {};
  const report = (error: unknown) => options.onError?.(error as Error);

  async function load(force: boolean): Promise<void> {
    const stats = await Promise.all(files.map((file) => stat(file).then((info) => `${info.mtimeMs}:${info.size}:${info.ino}`, () => 'missing')));
    const next = stats.join('|');
    if (!force && next === fingerprint) return;
    const [certificatePem, privateKeyPem, bundleText, crlText] = await Promise.all([
      readText(options.certificateFile),
      readText(options.keyFile),
      options.bundleFile === undefined ? undefined : readText(options.bundleFile),
      options.crlFile === undefined ? undefined : readText(options.crlFile),
    ]);
    const crlSource = options.caUrl !== undefined ? fetched.crlPem : crlText;
    holder.set({
      certificatePem,
      privateKeyPem,
      bundlePem: bundleText ?? fetched.bundlePem ?? '',
      crlPems: crlSource === undefined ? [] : pemBlocks(crlSource, 'X509 CRL'),
    });
    fingerprint = next;
  }

  async function fetchTrust(): Promise<void> {
    if (options.caUrl === undefined) return;
    const [bundlePem, crlPem] = await Promise.all([options.bundleFile === undefined ? fetchTrustBundle(options.caUrl) : undefined, fetchCrl(options.caUrl)]);
    fetched = { bundlePem, crlPem };
  }

  async function refresh(): Promise<void> {
    await fetchTrust();
    await load(true);
  }

  const ready = refresh();
  ready.catch(() => undefined);
  const poll = setInterval(() => void load(false).catch(report), options.pollIntervalMs ?? 2000);
  const trust = setInterval(() => void refresh().catch(report), options.trustRefreshMs ?? 60_000);
  poll.unref();
  trust.unref();

  return {
    ready,
    current: () => holder.current(),
    onChange: (listener) => holder.onChange(listener),
    refresh,
    renew: () => load(true),
    close() {
      clearInterval(poll);
      clearInterval(trust);
    },
  };
}
