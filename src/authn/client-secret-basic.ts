// client_secret_basic (RFC 6749 §2.3.1): the gateway authenticating as an OAuth client at a token,
// token-exchange or revocation endpoint. Appendix B: id and secret are form-urlencoded before
// they are joined and Base64-encoded for Basic (RFC 7617), so a ':' in either cannot split them.

export function clientSecretBasic(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
