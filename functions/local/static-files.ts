import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** The add-in's files, office.js for local pages, and a placeholder page until the add-in is built. */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.woff2': 'font/woff2',
};

export interface StaticFile {
  readonly status: number;
  readonly type: string;
  readonly body: Buffer | string;
}

/** A file under `root`, or undefined; never escapes `root` whatever the path says. */
async function fileUnder(root: string, relative: string): Promise<StaticFile | undefined> {
  const base = resolve(root);
  const target = resolve(base, normalize(`.${sep}${relative}`));
  if (target !== base && !target.startsWith(base + sep)) return undefined;
  let path = target;
  if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
  if (!existsSync(path) || !statSync(path).isFile()) return undefined;
  return {
    status: 200,
    type: TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    body: await readFile(path),
  };
}

const PLACEHOLDER = `<!doctype html>
<html lang="it">
<head><meta charset="utf-8"><title>Rendiconta LEPS — servizio locale</title></head>
<body>
<h1>Rendiconta LEPS — servizio locale</h1>
<p>Il servizio è attivo: le API sono sotto <code>/v1</code> (stato: <a href="/v1/health">/v1/health</a>).</p>
<p>Il componente aggiuntivo per Excel non è ancora stato compilato: eseguire <code>npm run build</code> e ricaricare questa pagina.</p>
</body>
</html>
`;

export async function serveStatic(repoRoot: string, pathname: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  if (decoded.startsWith('/office-js/')) {
    return fileUnder(
      join(repoRoot, 'node_modules', '@microsoft', 'office-js', 'dist'),
      decoded.slice('/office-js/'.length),
    );
  }
  const addin = join(repoRoot, 'dist', 'addin');
  const found = await fileUnder(addin, decoded.slice(1));
  if (found) return found;
  if (decoded === '/' || decoded === '/index.html')
    return { status: 200, type: TYPES['.html'] ?? 'text/html', body: PLACEHOLDER };
  return undefined;
}
