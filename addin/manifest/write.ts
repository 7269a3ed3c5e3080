import { writeFileSync } from 'node:fs';
import { LOCAL_ADDIN_BASE_URL, renderManifest } from './generate.ts';

/**
 * `tsx addin/manifest/write.ts [baseUrl] [outFile] [version]`: writes a manifest for a deployed URL (default: the
 * local stack into ./manifest.xml).
 */
const [baseUrl = LOCAL_ADDIN_BASE_URL, outFile = 'manifest.xml', version] = process.argv.slice(2);
writeFileSync(outFile, renderManifest({ addinBaseUrl: baseUrl, ...(version ? { version } : {}) }));
console.log(`Manifest per ${baseUrl} scritto in ${outFile}`);
