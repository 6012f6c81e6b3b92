// The logout path: ends the gateway session (cookies deleted), revokes the session's refresh
// token at the issuer (RFC 7009), and then ends the issuer's session through RP-Initiated
// Logout 1.0 §2 (id_token_hint + post_logout_redirect_uri). A cross-site
// request cannot log a user out (Fetch Metadata); without a session or an end_session_endpoint
// the browser goes straight to the post-logout path.
import type { BrowserLoginRuntime, SsoRequest } from './browser-login-runtime.ts';
import { appendSetCookies, deleteCookies, parseCookieHeader, readChunkedCookie } from './cookies.ts';
import { isSessionContent } from './session.ts';
import { renderSsoPage } from './sso-pages.ts';

export async function handleLogout(runtime: BrowserLoginRuntime, request: SsoRequest): Promise<number> {
  const { res } = request;
  if (request.req.headers['sec-fetch-site'] === 'cross-site') {
    return renderSsoPage(res, { status: 403, title: 'Sign-out refused', message: 'Another site asked to sign you out; use the sign-out link of this site.' });
  }
  const names = runtime.cookieNames(request);
  const cookies = parseCookieHeader(request.req.headers.cookie);
  let idToken: string | undefined;
  let refreshToken: string | undefined;
  const sealed = readChunkedCookie(cookies, names.session);
  if (sealed !== undefined) {
    try {
      const session = await runtime.sealer.unseal<unknown>('session', sealed, Math.floor(Date.now() / 1000));
      if (isSessionContent(session)) ({ idt: idToken, rt: refreshToken } = session);
    } catch {
      // A session we cannot read is simply deleted.
    }
  }
  appendSetCookies(res, [...deleteCookies(names.session, names.secure, cookies), ...deleteCookies(names.loginState, names.secure, cookies)]);
  const metadata = idToken === undefined && refreshToken === undefined ? undefined : await runtime.client.discover();
  if (metadata !== undefined && refreshToken !== undefined) {
    // RFC 7009 before end_session: the refresh token must not outlive the logout. A failure is
    // logged and the logout goes on — the user asked to leave, and the cookie is gone already.
    await runtime.client.revokeRefreshToken(metadata, refreshToken).catch((error: unknown) => runtime.warn(request, error, 'refresh token revocation at logout failed'));
  }
  const postLogout = runtime.login.postLogoutPath;
  const location = (metadata && runtime.client.endSessionUrl(metadata, idToken, `${runtime.origin(request)}${postLogout}`)) ?? postLogout;
  res.writeHead(302, { location, 'cache-control': 'no-store', 'content-length': 0 });
  res.end();
  return 302;
}
