/**
 * Writes the bundled rehearsal cases into sample-dicom/: for each phantom a CT series (RLE
 * Lossless DICOM, one file per slice) and its case.json, plus sample-dicom/index.json.
 * Deterministic: the same seed gives byte-identical files (checked by the tests).
 *
 *   npm run sample            # all phantoms
 *   npm run sample -- lumbar  # one
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PHANTOM_SEED, phantomFiles, PHANTOMS, sampleIndex } from '../src/core/phantom/phantomFiles';

const root = resolve(import.meta.dirname, '../sample-dicom');
const only = process.argv.slice(2);
for (const build of PHANTOMS) {
  const started = Date.now();
  const definition = build(PHANTOM_SEED);
  if (only.length > 0 && !only.includes(definition.id)) continue;
  const { slices: files, caseJson } = phantomFiles(definition, PHANTOM_SEED);
  const dir = join(root, definition.id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (const file of files) {
    writeFileSync(join(dir, file.name), file.bytes);
    bytes += file.bytes.length;
  }
  writeFileSync(join(dir, 'case.json'), caseJson);
  console.log(`${definition.id}: ${files.length} files, ${(bytes / 1024 ** 2).toFixed(1)} MiB, ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
writeFileSync(join(root, 'index.json'), JSON.stringify(sampleIndex(PHANTOM_SEED), null, 2) + '\n');
