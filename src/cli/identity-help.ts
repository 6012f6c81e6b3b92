// Help texts of `gatehouse identity` and its subcommands (kept apart so the runners stay short).

export const IDENTITY_HELP = `Usage: gatehouse identity --config FILE [options]
       gatehouse identity <group> <subcommand> --config FILE [options]

Run the identity service (OAuth 2.0 / OpenID Connect provider, login pages, API tokens,
admin API) from an IdentityService YAML document, or administer its store directly
(SQLite or PostgreSQL, as the config names it) — the service need not be running.

Options (running the service):
  --config FILE      IdentityService YAML file (required)
  --log-level LEVEL  fatal, error, warn, info, debug, trace or silent (default info)
  -h, --help         show this help

Administration:
  users add USERNAME [--role R]... [--group G]... [--name N] [--email E]
                                     password read from stdin (--password-stdin)
  users list | disable USERNAME | enable USERNAME | set-password USERNAME
  clients add CLIENT_ID --grant-type G... [--public] [--trusted] [--name N]
          [--redirect-uri U]... [--post-logout-redirect-uri U]... [--scope S]... [--resource R]...
  clients list | remove CLIENT_ID
  tokens create --user USERNAME --name NAME [--scope S]... [--expires-in 30d]
  tokens list [--user USERNAME] | revoke TOKEN_ID | revoke-jwt JTI
  keys list | rotate

Every administration command takes --config FILE. See docs/identity-admin.md.
`;

export const USERS_HELP = `Usage: gatehouse identity users <add|list|disable|enable|set-password> --config FILE

  add USERNAME        create a user; the password is read from stdin (never from the
                      command line, which ends up in shell history and ps output)
      --password-stdin   read the password from stdin (the default; accepted for scripts)
      --role ROLE        repeatable: roles claim (e.g. user, admin)
      --group GROUP      repeatable: groups claim
      --name NAME        display name (name claim)
      --email EMAIL      email claim
  list                print the users (never password hashes)
  disable USERNAME    refuse sign-in and revoke the user's access tokens
  enable USERNAME     allow sign-in again
  set-password USERNAME   replace the password (read from stdin)
`;

export const CLIENTS_HELP = `Usage: gatehouse identity clients <add|list|remove> --config FILE

  add CLIENT_ID       register an OAuth client; a confidential client's generated secret
                      is printed once on stdout (only its encrypted form is stored)
      --grant-type G     repeatable: authorization_code, refresh_token, client_credentials,
                         urn:ietf:params:oauth:grant-type:token-exchange
      --public           no secret; PKCE S256 required (browser and native apps)
      --trusted          first-party: users are not asked for consent
      --name NAME        shown on the consent page
      --redirect-uri U, --post-logout-redirect-uri U, --scope S, --resource R   repeatable
  list                print the clients (never secrets)
  remove CLIENT_ID    delete the client and revoke the tokens issued to it
`;

export const TOKENS_HELP = `Usage: gatehouse identity tokens <create|list|revoke|revoke-jwt> --config FILE

  create --user USERNAME --name NAME [--scope S]... [--expires-in 30d]
                      create a personal API token; the token is printed once on stdout
  list [--user USERNAME]   print API tokens (prefix only, never the token)
  revoke TOKEN_ID     revoke an API token
  revoke-jwt JTI      revoke one issued JWT access token by its jti
`;

export const KEYS_HELP = `Usage: gatehouse identity keys <list|rotate> --config FILE

  list     print the signing keys (kid, algorithm, state: active, next, retired)
  rotate   next → active, active → retired, publish a new next key; running instances
           pick the change up within keys.checkEvery
`;
