// What `gatehouse demo` prints once everything listens: where things are, the demo-only
// credentials, and curl lines to copy that walk through the seeds' cases. README.md and
// docs/demo.md show the same lines; test/e2e/demo.test.ts runs them in bash against the demo.

export interface DemoAddresses {
  gateway: string; // http://127.0.0.1:8080
  admin: string; // http://127.0.0.1:9901
  issuer: string; // http://127.0.0.1:9000, the identity service
  /** Where the identity service keeps its SQLite store, as shown to the user. */
  identityStore: string;
  services: Record<string, string>;
  /** The zero-trust pair (src/demo/mesh.ts): the order service calls the user service over mTLS. */
  mesh?: { users: string; orders: string; spiffeIds: { users: string; orders: string } };
}

/** The APIs of examples/identity/demo.yaml (RFC 8707 resource identifiers = token audiences). */
export const DEMO_AUDIENCES = { users: 'https://users.demo.gatehouse.dev', orders: 'https://orders.demo.gatehouse.dev' } as const;

export function demoBanner(addresses: DemoAddresses): string {
  const { gateway, admin, issuer } = addresses;
  const services = Object.entries(addresses.services)
    .map(([name, url]) => `    ${name.padEnd(6)} ${url}`)
    .join('\n');
  const mesh = addresses.mesh
    ? `
  zero trust: the order service (${addresses.mesh.spiffeIds.orders}) calls the user
    service on ${addresses.mesh.users} (mutual TLS only, ${addresses.mesh.spiffeIds.users})
    with a demo-m2m client-credentials token for ${DEMO_AUDIENCES.users}`
    : '';
  // Zero trust: going around the gateway to the user service fails without a CA certificate.
  const bypass = addresses.mesh
    ? `  #    the user service refuses a direct call without a certificate of the demo CA (TLS handshake)
  curl -sk ${addresses.mesh.users}/users || echo "refused (curl exit $?)"
`
    : '';
  return `
Gatehouse demo is running.

  gateway           ${gateway}   (config: examples/quickstart/)
  admin             ${admin}   (/healthz /readyz /metrics)
  identity service  ${issuer}   (config: examples/identity/demo.yaml)
                    SQLite store: ${addresses.identityStore} (kept across restarts; delete it to start afresh)
  login (browser)   ${gateway}/users   (sends you to the identity service's login page)
  demo services (upstreams, echo what they receive):
${services}${mesh}

DEMO-ONLY credentials (published; never use them anywhere else):
  users   alice / alice-password (role user), bob / bob-password (role admin)
  client  demo-m2m / demo-m2m-secret (client credentials for the order and user services)

Try it (needs curl and jq):

  # 1. Client credentials: demo-m2m gets a token for the order service (RFC 8707 resource)...
  M2M=$(curl -s -u demo-m2m:demo-m2m-secret -d grant_type=client_credentials -d resource=${DEMO_AUDIENCES.orders} -d scope=orders:read ${issuer}/token | jq -r .access_token)
  #    look inside it (aud, scope, client_id; no roles: it is a machine):
  npm run -s gatehouse -- token decode "$M2M"
  #    ...and calls the order service through the gateway -> 200; the order service calls the
  #    user service over mTLS with a client-credentials token of its own (userService in the answer)
  curl -s -H "Authorization: Bearer $M2M" ${gateway}/orders
${bypass}
  # 2. A personal API token for alice (opaque gat_..., shown once)...
  ALICE=$(curl -s -u alice:alice-password -d name=demo-$(date +%s) -d scopes=users:read -d expiresIn=1d ${issuer}/api/tokens | jq -r .token)
  #    ...which the gateway exchanges for a JWT (phantom token): the user service sees the JWT's claims -> 200
  curl -s -H "Authorization: Bearer $ALICE" ${gateway}/users

  # 3. No token -> 401, WWW-Authenticate: Bearer realm="Gatehouse demo"
  curl -si ${gateway}/orders
  #    A forged signature -> 401, error="invalid_token"
  curl -si -H "Authorization: Bearer \${M2M%.*}.forged" ${gateway}/orders
  #    /users/admin is admin-only: alice (role user) -> 403 forbidden
  curl -si -H "Authorization: Bearer $ALICE" ${gateway}/users/admin
  #    bob (role admin), with an API token of his own -> 200
  BOB=$(curl -s -u bob:bob-password -d name=demo-$(date +%s) -d scopes=users:read -d expiresIn=1d ${issuer}/api/tokens | jq -r .token)
  curl -s -H "Authorization: Bearer $BOB" ${gateway}/users/admin
  #    which policy and rule decided, without a server (exit status 3 = refused):
  npm run -s gatehouse -- check --config examples/quickstart --explain 'GET ${gateway}/users/admin' --claims '{"iss":"${issuer}","sub":"alice","aud":"${DEMO_AUDIENCES.users}","roles":["user"]}'

  # 4. NGINX (seed 001): a token of the identity service in the auth_token cookie -> 200
  curl -s -H 'Host: cafe.example.com' -b "auth_token=$M2M" ${gateway}/coffee
  #    No cookie -> 401, WWW-Authenticate: Bearer realm="Cafe App"
  curl -si -H 'Host: cafe.example.com' ${gateway}/tea

  # 5. Metrics
  curl -s ${admin}/metrics | grep '^gatehouse_'

In a browser, open ${gateway}/users: the gateway (BrowserLogin) sends you to the identity
service's login page; sign in as alice or bob and you come back to /users, signed in.

Press Ctrl-C to stop. The gateway's JSON access log follows.
`;
}
