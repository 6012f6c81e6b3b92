// PEM files that hold several blocks: a trust bundle (RFC 7468 §5.1 allows many certificates in
// one file), a certificate chain, several CRLs.

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/** Every PEM block of the given label in a text, e.g. the certificates of a bundle. */
export function splitPem(text: string, label: string): string[] {
  return [...text.matchAll(PEM_BLOCK)].filter((match) => match[1] === label).map((match) => `${match[0]}\n`);
}

export function splitPemCertificates(text: string): string[] {
  return splitPem(text, 'CERTIFICATE');
}

export function joinPem(blocks: readonly string[]): string {
  return blocks.map((block) => (block.endsWith('\n') ? block : `${block}\n`)).join('');
}
