// What `gatehouse demo` prints once everything listens: where things are, and curl lines to copy
// that walk through the seeds' cases. README.md and docs/demo.md show the same lines.

export interface DemoAddresses {
  gateway: string; // http://127.0.0.1:8080
  admin: string; // http://127.0.0.1:9901
  issuer: string; // http://127.0.0.1:9000
  services: Record<string, string>;
}

export function demoBanner(addresses: DemoAddresses): string {
  const { gateway, admin, issuer } = addresses;
  const services = Object.entries(addresses.services)
    .map(([name, url]) => `    ${name.padEnd(6)} ${url}`)
    .join('\n');
  return `
Gatehouse demo is running.

  gateway        ${gateway}   (config: examples/quickstart/)
  admin          ${admin}   (/healthz /readyz /metrics)
  demo issuer    ${issuer}   (/token /login /.well-known/jwks.json)
  demo services (upstreams, echo what they receive):
${services}

Try it (users: alice = role admin, bob = role user; password: demo):

  # 1. Get a token from the demo issuer
  TOKEN=$(curl -s -d username=alice -d password=demo ${issuer}/token | jq -r .access_token)
  #    without jq:
  TOKEN=$(curl -s -d username=alice -d password=demo ${issuer}/token | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
  #    look inside it:
  npm run -s gatehouse -- token decode "$TOKEN"

  # 2. Istio (seed 000): verified at the gateway, claims handed to the service in headers -> 200
  curl -s -H "Authorization: Bearer $TOKEN" ${gateway}/users

  # 3. No token -> 401, WWW-Authenticate: Bearer realm="Gatehouse demo" (seed 000's AuthorizationPolicy)
  curl -si ${gateway}/orders

  # 4. A forged signature -> 401, WWW-Authenticate: Bearer realm="Gatehouse demo", error="invalid_token"
  curl -si -H "Authorization: Bearer \${TOKEN%.*}.forged" ${gateway}/orders

  # 5. Seed 000's roles: bob (role user) reads /users, but /users/admin is admin-only -> 403 forbidden
  BOB=$(curl -s -d username=bob -d password=demo ${issuer}/token | jq -r .access_token)
  curl -si -H "Authorization: Bearer $BOB" ${gateway}/users/admin
  #    alice (role admin) -> 200; no token -> 401
  curl -s -H "Authorization: Bearer $TOKEN" ${gateway}/users/admin
  #    which policy and rule decided, without a server (exit status 3 = refused):
  npm run -s gatehouse -- check --config examples/quickstart --explain 'GET ${gateway}/users/admin' --claims '{"iss":"${issuer}","sub":"bob","aud":"demo-api","role":"user"}'

  # 6. NGINX (seed 001): the token in the auth_token cookie -> 200
  curl -s -H 'Host: cafe.example.com' -b "auth_token=$TOKEN" ${gateway}/coffee

  # 7. No cookie -> 401, WWW-Authenticate: Bearer realm="Cafe App"
  curl -si -H 'Host: cafe.example.com' ${gateway}/tea

  # 8. A browser without a token is redirected to the login page -> 302
  curl -si -H 'Host: cafe.example.com' -H 'Accept: text/html' ${gateway}/tea

  # 9. Metrics
  curl -s ${admin}/metrics | grep '^gatehouse_'

In a browser, open ${gateway}/users: the gateway sends you to the demo login page, which
sets the auth_token cookie and sends you back, signed in.

Press Ctrl-C to stop. The gateway's JSON access log follows.
`;
}
