/**
 * Child-process entry that makes the cluster's missing certificates and writes them into the pki
 * directory (see cluster-pki.ts). Argument: a JSON {@link IssueRequest}. Exit code 0 on success.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate, loadCertificateAuthority, type KeyPair } from './certificates.js';
import { COMPONENT_IDENTITIES, readPair, stillGood, type IssueRequest } from './cluster-pki.js';

function writePair(dir: string, name: string, pair: KeyPair): void {
  writeFileSync(join(dir, `${name}.crt`), pair.certPem, { mode: 0o644 });
  writeFileSync(join(dir, `${name}.key`), pair.keyPem, { mode: 0o600 });
}

/** Makes whatever of the CA, the client certificates and the serving certificate is missing or stale. */
export async function issueMissing(req: IssueRequest): Promise<void> {
  const { dir, serving } = req;
  const existing = readPair(dir, 'ca');
  const ca = existing ? await loadCertificateAuthority(existing) : await createCertificateAuthority('tskube-ca');
  if (!existing) writePair(dir, 'ca', ca);
  if (!stillGood(readPair(dir, 'admin'), ca)) {
    writePair(dir, 'admin', await issueCertificate(ca, { usage: 'client', commonName: 'kubernetes-admin', organizations: ['system:masters'] }));
  }
  for (const [name, subject] of Object.entries(COMPONENT_IDENTITIES)) {
    if (!stillGood(readPair(dir, name), ca)) writePair(dir, name, await issueCertificate(ca, { usage: 'client', ...subject }));
  }
  if (!stillGood(readPair(dir, 'apiserver'), ca, serving)) {
    writePair(dir, 'apiserver', await issueCertificate(ca, { usage: 'server', commonName: 'kube-apiserver', ...serving }));
  }
}

if (process.argv[2] && process.send) {
  issueMissing(JSON.parse(process.argv[2]) as IssueRequest).then(() => process.exit(0), (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
