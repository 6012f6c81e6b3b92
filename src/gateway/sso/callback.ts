// The redirect URI (OIDC Core §3.1.2.5): the issuer sends the browser back with a code. It is
// accepted only for a login this browser started (state from the sealed state cookie, RFC 6749
// §10.12) and from the issuer we sent it to (RFC 9207 `iss`); then the code is exchanged with
// the PKCE verifier, the ID token checked (nonce), and the tokens sealed into the session cookie.
import type { BrowserLoginRuntime, SsoRequest } from './browser-login-runtime.ts';
import { appendSetCookies, deleteCookies, parseCookieHeader, serializeCookie } from './cookies.ts';
import { LOGIN_STATE_SECONDS, findPendingLogin } from './login-state.ts';
import { safeReturnPath } from './return-path.ts';
import { sessionFromTokens } from './session.ts';
import { renderSsoPage } from './sso-pages.ts';

/** Answers the callback request; resolves with the status sent. */
export async function handleCallback(runtime: BrowserLoginRuntime, request: SsoRequest, query: string): Promise<number> {
  const { res } = request;
  const now = Math.floor(Date.now() / 1000);
  const params = new URLSearchParams(query);
  const names = runtime.cookieNames(request);
  const cookies = parseCookieHeader(request.req.headers.cookie);
  const pending = await runtime.readPendingLogins(names, cookies, now);
  const login = findPendingLogin(pending, params.get('state'));
  if (login === undefined) {
    runtime.warn(request, new Error('no pending login matches the state parameter'), 'login callback refused');
    appendSetCookies(res, deleteCookies(names.loginState, names.secure, cookies));
    return renderSsoPage(res, {
      status: 400,
      title: 'Sign-in could not be completed',
      message: 'This sign-in link has expired or was started in another browser. Please start again.',
      retryPath: '/',
    });
  }
  // This login is settled whatever happens next: remove it, keep the others (other tabs).
  const others = pending.filter((other) => other !== login);
  appendSetCookies(
    res,
    others.length === 0
      ? deleteCookies(names.loginState, names.secure, cookies)
      : [serializeCookie(names.loginState, await runtime.sealer.seal('login-state', { pending: others }, now + LOGIN_STATE_SECONDS), { secure: names.secure, maxAgeSeconds: LOGIN_STATE_SECONDS })],
  );
  const retryPath = login.returnPath;
  const issuer = params.get('iss');
  if (issuer !== null && issuer !== runtime.login.issuer) {
    runtime.warn(request, new Error('iss parameter names another issuer'), 'login callback refused');
    return renderSsoPage(res, { status: 400, title: 'Sign-in could not be completed', message: 'The answer came from an unexpected sign-in service.', retryPath });
  }
  const error = params.get('error');
  if (error !== null) {
    const denied = error === 'access_denied';
    return renderSsoPage(res, {
      status: denied ? 403 : 502,
      title: denied ? 'Sign-in was cancelled' : 'Sign-in failed',
      message: denied ? 'You did not complete the sign-in.' : 'The sign-in service could not sign you in.',
      retryPath,
    });
  }
  const code = params.get('code');
  const metadata = await runtime.client.discover();
  if (code === null || code === '' || metadata === undefined) {
    return renderSsoPage(res, { status: code === null || code === '' ? 400 : 503, title: 'Sign-in failed', message: 'The sign-in could not be completed.', retryPath });
  }
  let setCookies: string[];
  try {
    const redirectUri = `${runtime.origin(request)}${runtime.login.callbackPath}`;
    const tokens = await runtime.client.exchangeCode(metadata, code, login.verifier, redirectUri, now);
    if (tokens.idToken === undefined) throw new Error('token response has no id_token');
    const claims = await runtime.client.verifyIdToken(tokens.idToken, login.nonce, now);
    const session = sessionFromTokens(tokens, String(claims.sub), now);
    setCookies = await runtime.sessionSetCookies(session, names, cookies);
  } catch (failure) {
    runtime.warn(request, failure, 'login callback failed');
    return renderSsoPage(res, { status: 502, title: 'Sign-in failed', message: 'The sign-in service could not sign you in.', retryPath });
  }
  appendSetCookies(res, setCookies);
  res.writeHead(302, { location: safeReturnPath(login.returnPath), 'cache-control': 'no-store', 'content-length': 0 });
  res.end();
  return 302;
}
