// The demo issuer's login page: a plain HTML form, no script (so a strict CSP can forbid all
// scripts), that posts back to /login with the page to return to.

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function renderLoginPage(returnTo: string, errorMessage?: string): string {
  const error = errorMessage ? `<p class="error">${escapeHtml(errorMessage)}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Gatehouse demo login</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 24rem; margin: 4rem auto; }
label { display: block; margin: 0.75rem 0 0.25rem; }
input { width: 100%; padding: 0.4rem; }
button { margin-top: 1rem; padding: 0.5rem 1rem; }
.error { color: #b00020; }
</style>
</head>
<body>
<h1>Sign in</h1>
<p>Demo users: <code>alice</code> (role admin) and <code>bob</code> (role user), password <code>demo</code>.</p>
${error}
<form method="post" action="/login">
<input type="hidden" name="return_to" value="${escapeHtml(returnTo)}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
</body>
</html>
`;
}

/** Content-Security-Policy for the page: no script at all, not framable. (No form-action: the
 * post redirects to the gateway, and browsers apply form-action to that redirect too.) */
export const LOGIN_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
