import { createReadStream, existsSync, statSync, cpSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import type { Plugin } from 'vite';

/**
 * Serves the bundled cases in `sample-dicom/` at `/sample-dicom/` (dev and preview) and copies
 * them into the build, so the app opens with a case on a machine that has never been online.
 * The folder stays at the top level (not in `public/`) because the design card puts it there
 * and the generator writes it.
 */
export function sampleDicomPlugin(projectRoot: string): Plugin {
  const sampleRoot = resolve(projectRoot, 'sample-dicom');
  const serve = (url: string | undefined, res: import('node:http').ServerResponse): boolean => {
    if (!url || !url.startsWith('/sample-dicom/')) return false;
    const relative = normalize(decodeURIComponent(url.split('?')[0] ?? '').slice('/sample-dicom/'.length));
    if (relative.startsWith('..')) return false;
    const filePath = join(sampleRoot, relative);
    if (!existsSync(filePath) || !statSync(filePath).isFile()) return false;
    res.setHeader('Content-Type', filePath.endsWith('.json') ? 'application/json' : 'application/dicom');
    res.setHeader('Content-Length', String(statSync(filePath).size));
    createReadStream(filePath).pipe(res);
    return true;
  };
  return {
    name: 'sample-dicom',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!serve(req.url, res)) next();
      });
    },
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!serve(req.url, res)) next();
      });
    },
    writeBundle(options) {
      const outDir = options.dir ?? resolve(projectRoot, 'dist');
      if (existsSync(sampleRoot)) cpSync(sampleRoot, join(outDir, 'sample-dicom'), { recursive: true });
    },
  };
}
