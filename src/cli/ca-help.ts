// Help text for `gatehouse ca` and each of its subcommands.

export const CA_HELP = `Usage: gatehouse ca <subcommand> --dir DIR [options]

The internal certificate authority: a root, an intermediate that signs workload certificates
with SPIFFE IDs, revocation lists and trust-bundle rotation, kept in a directory.

Subcommands:
  init     create the root and intermediate; writes DIR/bundle.pem
  issue    issue a workload certificate (SPIFFE ID + DNS names)
  revoke   revoke a certificate by serial and re-sign the CRL
  crl      print the current CRL (PEM)
  list     list issued certificates and their status
  rotate   replace the intermediate (and with --root the root) without breaking trust

The CA keys are encrypted with GATEHOUSE_CA_PASSPHRASE (or, for development, DIR/passphrase).
Run "gatehouse ca <subcommand> --help" for details.
`;

export const CA_SUBCOMMAND_HELP = {
  init: `Usage: gatehouse ca init --dir DIR --trust-domain TD

Create an ECDSA P-256 root (10 years) and an intermediate (1 year, limited to spiffe://TD) in DIR.
Writes DIR/bundle.pem (the root certificates to trust), the certificates, the encrypted keys,
config.json and an empty CRL. Without GATEHOUSE_CA_PASSPHRASE a passphrase is generated into
DIR/passphrase (mode 0600) — a development convenience, with a warning.

Options:
  --dir DIR            CA directory, created if missing (required)
  --trust-domain TD    SPIFFE trust domain, e.g. cluster.local (required)
  -h, --help           show this help
`,
  issue: `Usage: gatehouse ca issue --dir DIR --spiffe-id spiffe://TD/ns/NS/sa/NAME --out PREFIX
                          [--dns NAME]... [--ttl 24h] [--csr FILE]

Issue a workload certificate signed by the intermediate. Writes PREFIX.crt.pem (the leaf, then
the intermediate) and PREFIX.key.pem (mode 0600; not with --csr, where the key stays with the
workload). Prints the serial (hex) on stdout.

Options:
  --dir DIR          CA directory (required)
  --spiffe-id ID     the workload's SPIFFE ID, in the CA's trust domain (required)
  --dns NAME         a DNS name to include; repeat for more
  --ttl DURATION     lifetime: 90s, 15m, 24h, 1h30m (default 24h; never beyond the intermediate)
  --csr FILE         a PKCS#10 request (PEM) whose key to certify
  --out PREFIX       output path prefix (required)
  -h, --help         show this help
`,
  revoke: `Usage: gatehouse ca revoke --dir DIR SERIAL

Revoke the certificate with this serial (hex, as "ca issue" printed it; openssl's 4A:3F:… works
too) and re-sign the CRL.

Options:
  --dir DIR    CA directory (required)
  -h, --help   show this help
`,
  crl: `Usage: gatehouse ca crl --dir DIR

Print the current CRL (PEM, one per intermediate that may still have valid certificates). A CRL
past half of its validity is re-signed first.

Options:
  --dir DIR    CA directory (required)
  -h, --help   show this help
`,
  list: `Usage: gatehouse ca list --dir DIR

List the certificates this CA issued: serial, status (valid, expired, revoked), expiry, SPIFFE ID
and DNS names.

Options:
  --dir DIR    CA directory (required)
  -h, --help   show this help
`,
  rotate: `Usage: gatehouse ca rotate --dir DIR [--root]

Create a new intermediate and make it the signer. With --root, first create a new root and add
it to DIR/bundle.pem, then sign the new intermediate with it. Old intermediates keep their CRLs,
and an old root stays in the bundle until no unexpired intermediate chains to it, so
certificates issued before the rotation keep verifying.

Options:
  --dir DIR    CA directory (required)
  --root       also replace the root
  -h, --help   show this help
`,
} as const;
