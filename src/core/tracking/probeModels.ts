import type { Vec3 } from '../geometry/vec3';
import { transformOf, type Transform } from '../frames/transform';

/**
 * Ultrasound probe models: the image grid, the shape of the field of view and the image
 * calibration (ImageToProbe).
 *
 * Probe frame (the sensor on the transducer): origin `sensorToFaceMm` above the centre of the
 * transducer face; +x along the array toward the marked side, +y into the body (depth),
 * +z = x × y (elevation). Image frame: pixels, origin top-left, +x toward the marked side,
 * +y deeper; the top-centre pixel sits at the centre of the face.
 */
export interface ProbeModel {
  readonly id: 'curvilinear-3.5' | 'linear-7.5';
  readonly name: string;
  readonly type: 'curvilinear' | 'linear';
  readonly frequencyMHz: number;
  readonly columns: number;
  readonly rows: number;
  readonly mmPerPixel: number;
  /** Linear: the array's width. Curvilinear: the arc's radius and the sector's opening. */
  readonly footprintWidthMm: number;
  readonly radiusMm: number;
  readonly sectorDeg: number;
  /** The depth the image grid shows, mm (the default depth in PROBE_MODELS; see probeAtDepth). */
  readonly depthMm: number;
  /** The deepest image the probe offers, mm. */
  readonly maxDepthMm: number;
  readonly sensorToFaceMm: number;
}

export const PROBE_MODELS: Record<ProbeModel['id'], ProbeModel> = {
  // A C5-1-like abdominal probe: 50 mm radius, 70° sector, 15 cm deep (the image just holds the sector: 2·200·sin 35° = 229 mm wide, the grid probeAtDepth makes).
  'curvilinear-3.5': {
    id: 'curvilinear-3.5',
    name: 'Curvilinear 3.5 MHz',
    type: 'curvilinear',
    frequencyMHz: 3.5,
    columns: 574,
    rows: 376,
    mmPerPixel: 0.4,
    footprintWidthMm: 57,
    radiusMm: 50,
    sectorDeg: 70,
    depthMm: 150,
    maxDepthMm: 240,
    sensorToFaceMm: 20,
  },
  // An L12-5-like linear probe: 38 mm wide, 5 cm deep by default (rows 0…500 × 0.1 mm), 8 cm at most.
  'linear-7.5': {
    id: 'linear-7.5',
    name: 'Linear 7.5 MHz',
    type: 'linear',
    frequencyMHz: 7.5,
    columns: 380,
    rows: 501,
    mmPerPixel: 0.1,
    footprintWidthMm: 38,
    radiusMm: 0,
    sectorDeg: 0,
    depthMm: 50,
    maxDepthMm: 80,
    sensorToFaceMm: 15,
  },
};

/** Shallowest image depth any probe offers, mm. */
export const MIN_DEPTH_MM = 20;

/** Width of the field of view, mm: the array for a linear probe; for a curvilinear one, the sector's chord at the deepest arc. */
export function fieldOfViewWidthMm(model: ProbeModel, depthMm: number): number {
  if (model.type === 'linear') return model.footprintWidthMm;
  return 2 * (model.radiusMm + depthMm) * Math.sin(((model.sectorDeg / 2) * Math.PI) / 180);
}

/**
 * The probe with its image grid re-gridded for a depth, as a scanner does: the same number of
 * rows (the display's height), the depth filling them (the last row at the depth), and as many columns as the field of view is wide, so the fan or rectangle touches the
 * image's left, right and bottom edges at any depth. The top-centre pixel stays at the face centre,
 * so ImageToProbe (imageToProbe of the returned model) follows the grid. At the probe's default
 * depth it is the model itself (the same grid). Depth outside MIN_DEPTH_MM…maxDepthMm throws.
 */
export function probeAtDepth(model: ProbeModel, depthMm: number): ProbeModel {
  if (!Number.isFinite(depthMm) || depthMm < MIN_DEPTH_MM || depthMm > model.maxDepthMm) {
    throw new Error(`${model.name}: depth ${depthMm} mm is outside ${MIN_DEPTH_MM}…${model.maxDepthMm} mm`);
  }
  const base = PROBE_MODELS[model.id];
  if (depthMm === base.depthMm) return base;
  // The last row at the depth (the curvilinear default's 375 × 0.4 mm = 150 mm).
  const mmPerPixel = depthMm / (base.rows - 1);
  // The even count (the centre between two columns, like the defaults) in (W/s − 1, W/s + 1]:
  // the edge columns lie within the field, the next ones out would not.
  const columns = 2 * Math.floor((fieldOfViewWidthMm(base, depthMm) / mmPerPixel + 1) / 2);
  return { ...base, columns, rows: base.rows, mmPerPixel, depthMm };
}

/** The image calibration: pixels to the probe sensor's frame (mm). */
export function imageToProbe(model: ProbeModel): Transform<'Image', 'Probe'> {
  const s = model.mmPerPixel;
  const centreColumn = (model.columns - 1) / 2;
  return transformOf('Image', 'Probe', [s, 0, 0, -centreColumn * s, 0, s, 0, model.sensorToFaceMm, 0, 0, s, 0, 0, 0, 0, 1]);
}

/** Whether an image pixel lies in the probe's field of view (the rectangle, or the sector between arc and depth). */
export function isInFieldOfView(model: ProbeModel, column: number, row: number): boolean {
  const s = model.mmPerPixel;
  const x = (column - (model.columns - 1) / 2) * s;
  const y = row * s;
  // 1e-9 mm: the last row of a re-gridded image lies at the depth up to rounding.
  if (model.type === 'linear') return Math.abs(x) <= model.footprintWidthMm / 2 + 1e-9 && y >= 0 && y <= model.depthMm + 1e-9;
  // Curvilinear: centre of curvature R above the face centre.
  const dy = y + model.radiusMm;
  const r = Math.hypot(x, dy);
  const angle = Math.atan2(Math.abs(x), dy);
  return r >= model.radiusMm && r <= model.radiusMm + model.depthMm + 1e-9 && angle <= ((model.sectorDeg / 2) * Math.PI) / 180;
}

/** Probe-frame position (mm) of the centre of the face, where the probe touches the skin. */
export const faceCentreInProbe = (model: ProbeModel): Vec3 => [0, model.sensorToFaceMm, 0];
