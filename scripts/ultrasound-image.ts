/**
 * Writes the bare simulated B-mode image (no annotations) of any CT for a probe pose given by its
 * transducer face, with the app's synthesis and default settings; prints one JSON line with the
 * image size, the pixel size and the settings used. Messages for bad input go to stderr, exit 2.
 *
 *   npm run -s ultrasound-image -- --ct sample-dicom/lumbar --probe curvilinear --frequency 3.5 \
 *     --depth 100 --origin 0,140,0 --beam 0,-1,0 --lateral 1,0,0 --out /tmp/us.png
 *
 * Transducer centre at the top centre of the image; 0.1 mm a pixel unless --pixel-mm. See the
 * README, "Simulated ultrasound".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isInFieldOfView } from '../src/core/tracking/probeModels';
import { readDicomFolder } from './lib/readDicomFolder';
import { ArgumentError, parseUltrasoundImageArgs, USAGE } from './lib/ultrasoundImageArgs';
import { renderUltrasoundImage } from './lib/ultrasoundImage';
import { encodePngGrey } from './lib/writePng';

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const args = parseUltrasoundImageArgs(argv);
  const { volume, notes, transferSyntaxes } = await readDicomFolder(args.ctFolder);
  const started = performance.now();
  const { image, model, settings } = renderUltrasoundImage(volume, args);
  const synthesisMs = performance.now() - started;
  const out = resolve(args.outFile);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, encodePngGrey(model.columns, model.rows, image));

  const allNotes = [...notes];
  if (args.lateralCorrectedByDeg > 1e-9) allNotes.push(`--lateral was ${args.lateralCorrectedByDeg.toFixed(3)}° from perpendicular to --beam and was made perpendicular`);
  let brightest = 0;
  for (let r = 0; r < model.rows; r++) for (let c = 0; c < model.columns; c++) if (isInFieldOfView(model, c, r)) brightest = Math.max(brightest, image[r * model.columns + c]!);
  if (brightest === 0) allNotes.push('the image is black: the field of view meets no tissue of this CT (check --origin and --beam, LPS mm)');
  const round = (v: readonly number[]) => v.map((x) => Math.round(x * 1e6) / 1e6);
  console.log(
    JSON.stringify({
      out,
      width: model.columns,
      height: model.rows,
      mmPerPixel: model.mmPerPixel,
      probe: { type: model.type, name: model.name, footprintWidthMm: model.footprintWidthMm, radiusMm: model.radiusMm, sectorDeg: model.sectorDeg },
      settings,
      origin: round(args.faceCentreInCt),
      beam: round(args.beamInCt),
      lateral: round(args.lateralInCt),
      ct: { dimensions: volume.geometry.dimensions, spacingMm: round(volume.geometry.spacingMm), transferSyntaxes },
      synthesisMs: Math.round(synthesisMs),
      notes: allNotes,
    }),
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`ultrasound-image: ${message}`);
  if (error instanceof ArgumentError) console.error(USAGE);
  process.exitCode = 2;
});
