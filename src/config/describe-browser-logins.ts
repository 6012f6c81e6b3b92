// `gatehouse check` lines for BrowserLogins: what a browser meets, never a secret (keys counted).
import type { BrowserLogin } from '../model/browser-login.ts';

export function describeBrowserLogin(login: BrowserLogin): string {
  const targets = login.targets.length > 0 ? login.targets.map((target) => `${target.kind}/${target.name}`).join(',') : 'every route';
  const cookie = `${login.cookie.name ?? 'default name'}, secure ${String(login.cookie.secure)}, ${login.cookie.keys.length} key(s)`;
  const resource = login.resource !== undefined ? `  resource ${login.resource}` : '';
  return `${login.name}  ${targets}  issuer ${login.issuer}  client ${login.clientId}${resource}  scopes ${login.scopes.join(' ')}  callback ${login.callbackPath}  logout ${login.logoutPath}  cookie (${cookie})  session ${login.sessionLifetimeSeconds}s`;
}
