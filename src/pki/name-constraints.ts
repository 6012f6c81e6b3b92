// The Name Constraints extension (RFC 5280 §4.2.1.10) for an intermediate: it may only certify
// URI names in its own SPIFFE trust domain, so a stolen intermediate key cannot mint identities
// for another trust domain. @peculiar/x509 has no class for it; the DER is small enough to build.
import { x509 } from './x509-crypto.ts';

const NAME_CONSTRAINTS_OID = '2.5.29.30';

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function derWrap(tag: number, content: Uint8Array): Uint8Array {
  return Uint8Array.from([tag, ...derLength(content.length), ...content]);
}

/**
 * NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees }, one GeneralSubtree
 * whose base is the URI `trustDomain`: for URIs the constraint is the host part (§4.2.1.10),
 * which for a SPIFFE ID is the trust domain. DNS SANs stay unconstrained (other name forms are
 * only limited by constraints of their own form). Marked critical as §4.2.1.10 requires.
 */
export function spiffeNameConstraints(trustDomain: string): x509.Extension {
  const uri = new Uint8Array(new x509.GeneralName('url', trustDomain).rawData);
  const generalSubtree = derWrap(0x30, uri);
  const permittedSubtrees = derWrap(0xa0, generalSubtree);
  return new x509.Extension(NAME_CONSTRAINTS_OID, true, derWrap(0x30, permittedSubtrees));
}
