// A small token issuer for the demo: an RS256 key made at start (memory only), its JWKS, an
// OpenID discovery document, a token endpoint for the demo users, and a login page that leaves
// the token in an `auth_token` cookie (the cookie location seed 001's NGINX policy reads). The
// identity service of a later part replaces it.
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { authenticateDemoUser, type DemoUser } from './demo-users.ts';
import { BodyTooLargeError, readFields, sendJson } from './http-io.ts';
import { listen, closeServer } from './listen.ts';
import { LOGIN_PAGE_CSP, renderLoginPage } from './login-page.ts';

export const DEMO_AUDIENCE = 'demo-api';
export const AUTH_COOKIE = 'auth_token';

export interface DemoIssuerOptions {
  host?: string; // default 127.0.0.1
  port?: number; // default 9000; 0 picks a free port
  tokenLifetimeSeconds?: number; // default 900
}

export interface DemoIssuer {
  /** Base URL, which is also the `iss` of every token: `http://127.0.0.1:9000`. */
  readonly url: string;
  readonly jwksUri: string;
  /** Signs a token for a demo user, as POST /token would. */
  issueToken(user: DemoUser, audience?: string): Promise<string>;
  close(): Promise<void>;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function createSigningKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = `demo-${randomUUID().slice(0, 8)}`;
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** Only absolute http(s) URLs: the demo must not become an open redirect to `javascript:` etc. */
function safeReturnTo(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export async function startDemoIssuer(options: DemoIssuerOptions = {}): Promise<DemoIssuer> {
  const host = options.host ?? '127.0.0.1';
  const lifetime = options.tokenLifetimeSeconds ?? 900;
  const key = await createSigningKey();
  let issuerUrl = '';

  async function issueToken(user: DemoUser, audience = DEMO_AUDIENCE): Promise<string> {
    return new SignJWT({ role: user.role, scope: user.scope, name: user.name })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
      .setIssuer(issuerUrl)
      .setSubject(user.username)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${lifetime}s`)
      .setJti(randomUUID())
      .sign(key.privateKey);
  }

  async function tokenEndpoint(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fields = await readFields(req);
    if (!fields.username || !fields.password) {
      sendJson(res, 400, { error: 'invalid_request', error_description: 'username and password are required' });
      return;
    }
    const user = authenticateDemoUser(fields.username, fields.password);
    if (!user) {
      sendJson(res, 401, { error: 'invalid_grant', error_description: 'unknown user or wrong password' });
      return;
    }
    const accessToken = await issueToken(user, fields.audience || undefined);
    // RFC 6749 §5.1: token responses must not be cached.
    sendJson(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime }, { 'cache-control': 'no-store' });
  }

  function loginPage(res: ServerResponse, status: number, returnTo: string, error?: string): void {
    const html = renderLoginPage(returnTo, error);
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': LOGIN_PAGE_CSP,
      'cache-control': 'no-store',
    });
    res.end(html);
  }

  async function loginSubmit(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fields = await readFields(req);
    const returnTo = safeReturnTo(fields.return_to);
    const user = authenticateDemoUser(fields.username ?? '', fields.password ?? '');
    if (!user) {
      loginPage(res, 401, returnTo ?? '', 'Unknown user or wrong password.');
      return;
    }
    const token = await issueToken(user);
    // Cookies ignore ports (RFC 6265 §8.5), so a cookie set here reaches the gateway on the same host.
    const cookie = `${AUTH_COOKIE}=${token}; Path=/; Max-Age=${lifetime}; HttpOnly; SameSite=Lax`;
    if (returnTo === undefined) {
      sendJson(res, 200, { signed_in: user.username, cookie: AUTH_COOKIE }, { 'set-cookie': cookie, 'cache-control': 'no-store' });
      return;
    }
    res.writeHead(303, { location: returnTo, 'set-cookie': cookie, 'cache-control': 'no-store' });
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuerUrl);
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /.well-known/jwks.json') {
      sendJson(res, 200, { keys: [key.publicJwk] }, { 'cache-control': 'public, max-age=300' });
    } else if (route === 'GET /.well-known/openid-configuration') {
      sendJson(res, 200, {
        issuer: issuerUrl,
        jwks_uri: `${issuerUrl}/.well-known/jwks.json`,
        token_endpoint: `${issuerUrl}/token`,
        authorization_endpoint: `${issuerUrl}/login`,
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['token'],
        subject_types_supported: ['public'],
      });
    } else if (route === 'POST /token') {
      await tokenEndpoint(req, res);
    } else if (route === 'GET /login') {
      loginPage(res, 200, safeReturnTo(url.searchParams.get('return_to')) ?? '');
    } else if (route === 'POST /login') {
      await loginSubmit(req, res);
    } else {
      sendJson(res, 404, { error: 'not_found', message: `no ${route} on the demo issuer` });
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      const tooLarge = error instanceof BodyTooLargeError;
      sendJson(res, tooLarge ? 413 : 500, { error: tooLarge ? 'body_too_large' : 'internal_error' });
    });
  });
  const port = await listen(server, host, options.port ?? 9000, 'demo issuer');
  issuerUrl = `http://${host}:${port}`;

  return {
    url: issuerUrl,
    jwksUri: `${issuerUrl}/.well-known/jwks.json`,
    issueToken,
    close: () => closeServer(server),
  };
}
