/**
 * Renders README pictures from the shipped DICOM of the bundled cases (read back from
 * sample-dicom/, not from the generator's memory), with the case file's targets, structures to
 * avoid and suggested path drawn on top:
 *   docs/lumbar-axial-L4-L5.png, docs/lumbar-mid-sagittal.png, docs/hip-oblique-femoral-neck.png
 *
 *   npm run pictures
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CaseFile } from '../src/core/cases/caseFile';
import { addScaled, cross, dot as dotProduct, normalize, subtract, type Vec3 } from '../src/core/geometry/vec3';
import { shapeOf } from '../src/core/phantom/avoidShapes';
import { ctToPlanePixel, planePixelToCt, reslicePlane, type ImagePlane } from '../src/core/reslice/reslicePlane';
import type { CtVolume } from '../src/core/volume/ctVolume';
import { readCaseVolume } from './lib/readCaseVolume';
import { encodePngRgb } from './lib/writePng';

const ROOT = resolve(import.meta.dirname, '..');
const COLOURS: Record<string, [number, number, number]> = {
  nerve: [255, 214, 0],
  'dural-sac': [64, 160, 255],
  artery: [255, 60, 60],
  vein: [80, 110, 255],
  bowel: [190, 120, 255],
  other: [200, 200, 200],
  target: [60, 255, 120],
  path: [255, 150, 40],
};

interface Picture {
  file: string;
  plane: ImagePlane;
  window: { level: number; width: number };
}

function render(volume: CtVolume, caseFile: CaseFile, { file, plane, window }: Picture): void {
  const hu = reslicePlane(volume, plane);
  const rgb = new Uint8Array(plane.columns * plane.rows * 3);
  const lower = window.level - window.width / 2;
  for (let p = 0; p < hu.length; p++) {
    const grey = Math.max(0, Math.min(255, Math.round(((hu[p]! - lower) / window.width) * 255)));
    rgb.set([grey, grey, grey], p * 3);
  }
  const put = (column: number, row: number, colour: readonly number[]) => {
    if (column < 0 || row < 0 || column >= plane.columns || row >= plane.rows) return;
    rgb.set(colour, (row * plane.columns + column) * 3);
  };
  // Outlines of structures to avoid and targets' acceptance spheres where they cut the plane.
  const outlined = [
    ...caseFile.avoid.map((a) => ({ shape: shapeOf(a.shape), colour: COLOURS[a.kind]! })),
    ...caseFile.targets.map((t) => ({ shape: shapeOf({ type: 'sphere', centre: t.centre, radiusMm: t.acceptanceRadiusMm }), colour: COLOURS.target! })),
  ];
  for (let row = 0; row < plane.rows; row++) {
    for (let column = 0; column < plane.columns; column++) {
      const p = planePixelToCt(plane, column, row);
      for (const { shape, colour } of outlined) {
        if (Math.abs(shape.distance(p)) < plane.mmPerPixel * 0.6) put(column, row, colour);
      }
    }
  }
  // The suggested path, projected on the plane.
  const entry = caseFile.procedure.suggestedEntry;
  const target = caseFile.targets[0]?.centre;
  if (entry && target) {
    const [c0, r0] = ctToPlanePixel(plane, entry);
    const [c1, r1] = ctToPlanePixel(plane, target);
    const steps = Math.ceil(Math.hypot(c1 - c0, r1 - r0));
    for (let s = 0; s <= steps; s += 2) put(Math.round(c0 + ((c1 - c0) * s) / steps), Math.round(r0 + ((r1 - r0) * s) / steps), COLOURS.path!);
  }
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  writeFileSync(join(ROOT, 'docs', file), encodePngRgb(plane.columns, plane.rows, rgb));
  console.log(`wrote docs/${file}`);
}

function planeThrough(centre: Vec3, right: Vec3, down: Vec3, columns: number, rows: number, mmPerPixel: number): ImagePlane {
  const r = normalize(right);
  // Make `down` exactly perpendicular to `right`.
  const normal = normalize(cross(r, down));
  return { centreInCt: centre, right: r, down: cross(normal, r), columns, rows, mmPerPixel };
}

function caseOf(id: string): { volume: CtVolume; caseFile: CaseFile } | undefined {
  const folder = join(ROOT, 'sample-dicom', id);
  if (!existsSync(folder)) return undefined;
  return { volume: readCaseVolume(folder), caseFile: JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile };
}

const lumbar = caseOf('lumbar');
if (lumbar) {
  const disc = lumbar.caseFile.targets.find((t) => t.id === 'disc-L4-L5')!.centre;
  const entry = lumbar.caseFile.procedure.suggestedEntry!;
  // Axial oblique in the plane of the L4–L5 disc (the plane holding the suggested path),
  // radiological convention: the patient's left on screen right, anterior up.
  const pathInPlane = normalize(subtract(entry, disc));
  const discNormal = normalize(cross([1, 0, 0], pathInPlane));
  const posteriorInPlane = normalize(cross(discNormal, [1, 0, 0]));
  render(lumbar.volume, lumbar.caseFile, {
    file: 'lumbar-axial-L4-L5.png',
    plane: planeThrough(addScaled(disc, posteriorInPlane, 30), [1, 0, 0], posteriorInPlane, 640, 460, 0.4),
    window: { level: 80, width: 700 },
  });
  render(lumbar.volume, lumbar.caseFile, {
    file: 'lumbar-mid-sagittal.png',
    plane: planeThrough([0, disc[1] + 20, disc[2] + 30], [0, 1, 0], [0, 0, -1], 520, 520, 0.45),
    window: { level: 300, width: 1500 },
  });
}
const hip = caseOf('hip');
if (hip) {
  const recess = hip.caseFile.targets[0]!.centre;
  const landmark = (id: string) => hip.caseFile.landmarks!.find((l) => l.id === id)!.point;
  const head = landmark('femoral-head-centre');
  const neckAxis = normalize(subtract(head, landmark('femoral-neck-base')));
  // The plane of the anterior longitudinal approach: the neck axis and its anterior normal.
  // Shown as on ultrasound: skin (anterior) at the top, the head on the right.
  const anterior = normalize(subtract(recess, addScaled(head, neckAxis, dotProduct(subtract(recess, head), neckAxis))));
  render(hip.volume, hip.caseFile, {
    file: 'hip-oblique-femoral-neck.png',
    plane: planeThrough(addScaled(recess, anterior, 5), neckAxis, [-anterior[0], -anterior[1], -anterior[2]], 560, 440, 0.3),
    window: { level: 150, width: 900 },
  });
}
