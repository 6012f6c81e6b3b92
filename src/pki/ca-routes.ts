// The CA over HTTP, mounted by the identity service under /ca/v1 (docs/pki.md):
//   POST /ca/v1/sign    {csr, spiffeId?, dnsNames?, ttlSeconds?} + Bearer join token or client-credentials token
//   POST /ca/v1/renew   {csr, certificate?, proof?} — the current certificate over mTLS or in the body
//   GET  /ca/v1/bundle  the roots to trust (PEM)
//   GET  /ca/v1/crl     the current CRLs (PEM)
// Workloads send CSRs, so private keys never travel. Answers are JSON errors with stable codes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { JWK } from 'jose';
import { readBoundedBody } from '../identity/bounded-body.ts';
import type { DocumentStore } from '../store/identity-store.ts';
import { authorizeCaller, type CaClientRule } from './ca-caller.ts';
import { caErrorStatus } from './ca-error-status.ts';
import { chainFromPem, checkRenewal } from './ca-renewal.ts';
import { currentCrl } from './crl.ts';
import { DocumentCaStore } from './document-ca-store.ts';
import { issueCertificate, type IssuedCertificate } from './issue-certificate.ts';
import { isJoinToken } from './join-tokens.ts';
import { joinPem } from './pem-blocks.ts';
import { peerChainFromSocket } from './peer-trust.ts';
import { PkiError } from './pki-error.ts';
import { caPassphraseFromKek } from './store-passphrase.ts';

export interface CaServiceSettings {
  /** The audience a client-credentials token must name to be spent here. */
  readonly audience: string;
  readonly clients: readonly CaClientRule[];
  /** Longest leaf a caller may ask for (default 24 h). */
  readonly maxTtlSeconds: number;
}

export interface CaRoutesDeps {
  readonly documents: DocumentStore;
  readonly keyEncryptionKey: Buffer;
  /** This identity service's issuer: client-credentials tokens must come from it. */
  readonly issuer: string;
  readonly publicJwks: () => { keys: JWK[] } | Promise<{ keys: JWK[] }>;
  readonly settings: CaServiceSettings;
  readonly logger?: { info(fields: object, message: string): void; warn(fields: object, message: string): void };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const MAX_BODY_BYTES = 64 * 1024;
const PREFIX = '/ca/v1/';

function send(res: ServerResponse, status: number, body: string, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, `${JSON.stringify(value)}\n`, 'application/json');
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  // Read to the end even when too large, so the client gets the 400 rather than a reset socket.
  const bytes = await readBoundedBody(req, MAX_BODY_BYTES);
  if (bytes === undefined) throw new PkiError('ERR_CA_REQUEST_INVALID', `the request body exceeds ${MAX_BODY_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new PkiError('ERR_CA_REQUEST_INVALID', 'the body must be a JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new PkiError('ERR_CA_REQUEST_INVALID', 'the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function stringField(body: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const value = body[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '') throw new PkiError('ERR_CA_REQUEST_INVALID', `"${name}" must be a non-empty string`);
  return value;
}

function dnsNamesField(body: Record<string, unknown>): string[] {
  const value = body.dnsNames ?? [];
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string')) throw new PkiError('ERR_CA_REQUEST_INVALID', '"dnsNames" must be an array of strings');
  return value as string[];
}

function ttlField(body: Record<string, unknown>, maxTtlSeconds: number): number | undefined {
  const value = body.ttlSeconds;
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw new PkiError('ERR_CA_REQUEST_INVALID', '"ttlSeconds" must be a positive integer');
  return Math.min(value, maxTtlSeconds);
}

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

export function createCaRoutes(deps: CaRoutesDeps): Handler {
  const store = new DocumentCaStore(deps.documents);
  const passphrase = caPassphraseFromKek(deps.keyEncryptionKey);
  const { settings } = deps;
  const verification = { documents: deps.documents, issuer: deps.issuer, audience: settings.audience, publicJwks: deps.publicJwks, clients: settings.clients };

  async function answerIssued(res: ServerResponse, issued: IssuedCertificate, how: string): Promise<void> {
    deps.logger?.info({ serial: issued.serial, spiffeId: issued.record.spiffeId, notAfter: issued.record.notAfter, how }, 'workload certificate issued');
    sendJson(res, 201, {
      serial: issued.serial,
      spiffeId: issued.record.spiffeId,
      certificate: issued.chainPem,
      bundle: joinPem(await store.readBundle()),
      notBefore: issued.record.notBefore,
      notAfter: issued.record.notAfter,
    });
  }

  async function sign(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const csrPem = stringField(body, 'csr', true) as string;
    const intent = { spiffeId: stringField(body, 'spiffeId', false), dnsNames: dnsNamesField(body) };
    const grant = await authorizeCaller(verification, bearerToken(req), intent);
    const issued = await issueCertificate(store, passphrase, { ...grant, csrPem, ttlSeconds: ttlField(body, settings.maxTtlSeconds) });
    await answerIssued(res, issued, isJoinToken(bearerToken(req) ?? '') ? 'join-token' : 'client-credentials');
  }

  async function renew(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const csrPem = stringField(body, 'csr', true) as string;
    const presented = stringField(body, 'certificate', false);
    const socket = req.socket as Partial<TLSSocket>;
    const fromHandshake = presented === undefined && socket.encrypted === true;
    const chain = presented !== undefined ? chainFromPem(presented) : fromHandshake ? peerChainFromSocket(socket as TLSSocket) : [];
    const record = await checkRenewal(store, passphrase, { chain, fromHandshake, csrPem, proof: stringField(body, 'proof', false) });
    const lifetime = Math.round((Date.parse(record.notAfter) - Date.parse(record.notBefore)) / 1000);
    const issued = await issueCertificate(store, passphrase, {
      spiffeId: record.spiffeId,
      dnsNames: record.dnsNames,
      csrPem,
      ttlSeconds: Math.min(lifetime, settings.maxTtlSeconds),
    });
    await answerIssued(res, issued, `renewal of ${record.serial}`);
  }

  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!path.startsWith(PREFIX)) return false;
    const route = `${req.method} ${path.slice(PREFIX.length)}`;
    try {
      if (route === 'GET bundle') send(res, 200, joinPem(await store.readBundle()), 'application/x-pem-file');
      // PEM, not DER: application/pkix-crl (RFC 5280 §4.2.1.13) would promise DER.
      else if (route === 'GET crl') send(res, 200, await currentCrl(store, passphrase), 'application/x-pem-file');
      else if (route === 'POST sign') await sign(req, res);
      else if (route === 'POST renew') await renew(req, res);
      else sendJson(res, 404, { error: 'ERR_CA_NOT_FOUND', message: `no CA endpoint ${req.method} ${path}` });
    } catch (error) {
      if (!(error instanceof PkiError)) {
        // Never a stack trace to the client; the log names the failure.
        deps.logger?.warn({ err: (error as Error).message, path }, 'certificate endpoint failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'ERR_CA_INTERNAL', message: 'the CA could not answer' });
        return true;
      }
      const status = caErrorStatus(error.code);
      if (status >= 401 && status < 500) deps.logger?.warn({ code: error.code, path }, 'certificate request refused');
      if (!res.headersSent) sendJson(res, status, { error: error.code, message: error.message });
    }
    return true;
  };
}
