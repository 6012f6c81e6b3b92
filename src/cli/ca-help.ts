// Help text for `gatehouse ca` and each of its subcommands.

const TARGET = `  --dir DIR            a directory CA (keys under GATEHOUSE_CA_PASSPHRASE or DIR/passphrase)
  --config FILE        or the CA in the identity service's store (IdentityService YAML;
                       SQLite or PostgreSQL; keys under the identity key-encryption key)`;

export const CA_HELP = `Usage: gatehouse ca <subcommand> (--dir DIR | --config IDENTITY.yaml) [options]

The internal certificate authority: a root, an intermediate that signs workload certificates
with SPIFFE IDs, revocation lists and trust-bundle rotation, kept in a directory or in the
identity service's store (which also serves it over HTTP under /ca/v1).

Subcommands:
  init        create the root and intermediate (--dir: writes DIR/bundle.pem)
  issue       issue a workload certificate (SPIFFE ID + DNS names)
  revoke      revoke a certificate by serial and re-sign the CRL
  crl         print the current CRL (PEM)
  bundle      print the trust bundle: the root certificates to trust (PEM)
  list        list issued certificates and their status
  rotate      replace the intermediate (and with --root the root) without breaking trust
  join-token  create a one-time token a workload spends at POST /ca/v1/sign (--config only)

Run "gatehouse ca <subcommand> --help" for details.
`;

export const CA_SUBCOMMAND_HELP = {
  init: `Usage: gatehouse ca init (--dir DIR | --config FILE) --trust-domain TD

Create an ECDSA P-256 root (10 years) and an intermediate (1 year, limited to spiffe://TD).
With --dir, writes DIR/bundle.pem (the root certificates to trust), the certificates, the
encrypted keys, config.json and an empty CRL; without GATEHOUSE_CA_PASSPHRASE a passphrase is
generated into DIR/passphrase (mode 0600) — a development convenience, with a warning.
With --config, the same goes into the identity store.

Options:
${TARGET}
  --trust-domain TD    SPIFFE trust domain, e.g. cluster.local (required)
  -h, --help           show this help
`,
  issue: `Usage: gatehouse ca issue (--dir DIR | --config FILE) --spiffe-id spiffe://TD/ns/NS/sa/NAME --out PREFIX
                          [--dns NAME]... [--ttl 24h] [--csr FILE]

Issue a workload certificate signed by the intermediate. Writes PREFIX.crt.pem (the leaf, then
the intermediate) and PREFIX.key.pem (mode 0600; not with --csr, where the key stays with the
workload). Prints the serial (hex) on stdout.

Options:
${TARGET}
  --spiffe-id ID       the workload's SPIFFE ID, in the CA's trust domain (required)
  --dns NAME           a DNS name to include; repeat for more
  --ttl DURATION       lifetime: 90s, 15m, 24h, 1h30m (default 24h; never beyond the intermediate)
  --csr FILE           a PKCS#10 request (PEM) whose key to certify
  --out PREFIX         output path prefix (required)
  -h, --help           show this help
`,
  revoke: `Usage: gatehouse ca revoke (--dir DIR | --config FILE) SERIAL

Revoke the certificate with this serial (hex, as "ca issue" printed it; openssl's 4A:3F:… works
too) and re-sign the CRL.

Options:
${TARGET}
  -h, --help           show this help
`,
  crl: `Usage: gatehouse ca crl (--dir DIR | --config FILE)

Print the current CRL (PEM, one per intermediate that may still have valid certificates). A CRL
past half of its validity is re-signed first.

Options:
${TARGET}
  -h, --help           show this help
`,
  bundle: `Usage: gatehouse ca bundle (--dir DIR | --config FILE)

Print the trust bundle (PEM): the root certificates workloads and gateways must trust. During a
root rotation it holds the old and the new root.

Options:
${TARGET}
  -h, --help           show this help
`,
  list: `Usage: gatehouse ca list (--dir DIR | --config FILE)

List the certificates this CA issued: serial, status (valid, expired, revoked), expiry, SPIFFE ID
and DNS names.

Options:
${TARGET}
  -h, --help           show this help
`,
  rotate: `Usage: gatehouse ca rotate (--dir DIR | --config FILE) [--root]

Create a new intermediate and make it the signer. With --root, first create a new root and add
it to the trust bundle, then sign the new intermediate with it. Old intermediates keep their
CRLs, and an old root stays in the bundle until no unexpired intermediate chains to it, so
certificates issued before the rotation keep verifying.

Options:
${TARGET}
  --root               also replace the root
  -h, --help           show this help
`,
  'join-token': `Usage: gatehouse ca join-token --config FILE --spiffe-id ID [--dns NAME]... [--ttl 1h]

Create a one-time join token for one SPIFFE ID (and optionally DNS names). A workload sends it
as "Authorization: Bearer" to POST /ca/v1/sign with its CSR; the token works once. Only its
SHA-256 is stored. Prints the token on stdout.

Options:
  --config FILE        the IdentityService YAML (required)
  --spiffe-id ID       the SPIFFE ID the token grants (required)
  --dns NAME           a DNS name the workload may include; repeat for more
  --ttl DURATION       how long the token may wait to be used (default 1h)
  -h, --help           show this help
`,
} as const;
