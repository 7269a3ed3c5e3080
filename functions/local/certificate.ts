import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

/**
 * The development certificate of the local stack: made once per data folder, never committed. It is its own CA
 * (basicConstraints cA), so trusting `cert.pem` — NODE_EXTRA_CA_CERTS, a browser's authority list — is all a client
 * needs for https://localhost.
 */
export interface DevCertificate {
  readonly certPath: string;
  readonly cert: string;
  readonly key: string;
}

export function devCertificate(dataDir: string): DevCertificate {
  const folder = join(dataDir, 'certs');
  const certPath = join(folder, 'cert.pem');
  const keyPath = join(folder, 'key.pem');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    mkdirSync(folder, { recursive: true });
    const generated = selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
      days: 825,
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    writeFileSync(keyPath, generated.private, { mode: 0o600 });
    writeFileSync(certPath, generated.cert);
  }
  return { certPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}
