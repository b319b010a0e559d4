/**
 * Writes the small bundled CT series `sample-dicom/basic-torso/` (a stand-in until the
 * anatomical phantoms exist): an axial, head-first-supine torso cross-section with skin, fat,
 * muscle, a vertebral column with discs, a spinal canal and an aorta, plus 12 HU of CT noise.
 * Deterministic: the same seed gives byte-identical files.
 *
 *   npm run sample
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeCtSlice } from '../src/core/dicom/ctSliceDataset';
import { seededRandom } from '../src/core/random/seededRandom';

const SEED = 20261124;
const COLUMNS = 192;
const ROWS = 192;
const SLICES = 60;
const PIXEL_MM = 1.8;
const SLICE_MM = 3;
/** Ct position of the first pixel of the most inferior slice: far from zero, as a real scanner. */
const ORIGIN: [number, number, number] = [-171.9, -190.4, -412.5];
const UID_ROOT = '2.25.331905437192226915387';

const outDir = resolve(import.meta.dirname, '../sample-dicom/basic-torso');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const random = seededRandom(SEED);
const fileNames: string[] = [];
for (let k = 0; k < SLICES; k++) {
  const z = ORIGIN[2] + k * SLICE_MM;
  const stored = new Int16Array(ROWS * COLUMNS);
  for (let j = 0; j < ROWS; j++) {
    for (let i = 0; i < COLUMNS; i++) {
      // Ct (LPS): x to the patient's left, y posterior. Body centred at x = 0, y = −20.
      const x = ORIGIN[0] + i * PIXEL_MM;
      const y = ORIGIN[1] + j * PIXEL_MM;
      stored[j * COLUMNS + i] = Math.round(torsoHu(x, y, z) + (isInsideBody(x, y) ? 12 * random.gaussian() : 0));
    }
  }
  const name = `CT${String(k + 1).padStart(4, '0')}.dcm`;
  fileNames.push(name);
  writeFileSync(
    join(outDir, name),
    writeCtSlice({
      studyInstanceUid: `${UID_ROOT}.1`,
      seriesInstanceUid: `${UID_ROOT}.2`,
      frameOfReferenceUid: `${UID_ROOT}.3`,
      sopInstanceUid: `${UID_ROOT}.4.${k + 1}`,
      seriesDescription: 'Synthetic phantom: basic torso (not a patient)',
      seriesNumber: 1,
      instanceNumber: k + 1,
      rows: ROWS,
      columns: COLUMNS,
      pixelSpacingMm: [PIXEL_MM, PIXEL_MM],
      imagePositionInCt: [ORIGIN[0], ORIGIN[1], z],
      imageOrientationInCt: [
        [1, 0, 0],
        [0, 1, 0],
      ],
      sliceThicknessMm: SLICE_MM,
      storedPixels: stored,
      bitsStored: 16,
      rescaleSlope: 1,
      rescaleIntercept: 0,
      patientPosition: 'HFS',
      windowCenter: 40,
      windowWidth: 400,
    }),
  );
}
writeFileSync(
  join(outDir, '..', 'index.json'),
  JSON.stringify({ cases: [{ id: 'basic-torso', title: 'Basic torso (synthetic)', folder: 'basic-torso', files: fileNames }] }, null, 2) + '\n',
);
console.log(`wrote ${SLICES} slices to ${outDir}`);

function isInsideBody(x: number, y: number): boolean {
  return (x / 160) ** 2 + ((y + 20) / 120) ** 2 <= 1;
}

/** HU of the stand-in torso at a Ct point (mm). */
function torsoHu(x: number, y: number, z: number): number {
  const body = (x / 160) ** 2 + ((y + 20) / 120) ** 2;
  if (body > 1) return -1000; // air
  if (body > 0.97) return 30; // skin
  if (body > 0.8) return -100; // subcutaneous fat
  // Vertebral column: bodies 45 mm wide, 34 mm deep, discs 10 mm every 38 mm.
  const bodyY = y - 30;
  const inVertebra = (x / 23) ** 2 + (bodyY / 17) ** 2 <= 1;
  const levelZ = ((z + 1000) % 38 + 38) % 38;
  if (inVertebra) {
    if (levelZ < 10) return (x / 23) ** 2 + (bodyY / 17) ** 2 < 0.45 ? 75 : 105; // nucleus / annulus
    return (x / 23) ** 2 + (bodyY / 17) ** 2 > 0.85 ? 900 : 230; // cortex / cancellous
  }
  if (x ** 2 + (y - 60) ** 2 <= 8 ** 2) return 8; // dural sac (CSF)
  if (Math.abs(x) <= 12 && y > 52 && y < 72 && (x ** 2 + (y - 60) ** 2 <= 12 ** 2)) return 850; // neural arch ring
  if (Math.abs(x) <= 3.5 && y >= 70 && y <= 98) return 700; // spinous process
  if (Math.abs(x - 12) ** 2 + (y + 12) ** 2 <= 11 ** 2) return 45; // aorta (unenhanced)
  if ((Math.abs(x) - 40) ** 2 / 14 ** 2 + (y - 25) ** 2 / 20 ** 2 <= 1) return 50; // psoas
  if ((Math.abs(x) - 38) ** 2 / 28 ** 2 + (y - 75) ** 2 / 22 ** 2 <= 1) return 55; // erector spinae
  if (y < -40 && (x / 120) ** 2 + ((y + 70) / 55) ** 2 <= 1 && Math.sin(x / 9) * Math.cos(y / 7) > 0.75) return -950; // bowel gas
  return 35; // viscera and muscle
}
