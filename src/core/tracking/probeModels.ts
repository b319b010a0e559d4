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
  readonly depthMm: number;
  readonly sensorToFaceMm: number;
}

export const PROBE_MODELS: Record<ProbeModel['id'], ProbeModel> = {
  // A C5-1-like abdominal probe: 50 mm radius, 70° sector, 15 cm deep (the image just holds the sector: 2·200·sin 35° = 229 mm wide).
  'curvilinear-3.5': { id: 'curvilinear-3.5', name: 'Curvilinear 3.5 MHz', type: 'curvilinear', frequencyMHz: 3.5, columns: 580, rows: 376, mmPerPixel: 0.4, footprintWidthMm: 57, radiusMm: 50, sectorDeg: 70, depthMm: 150, sensorToFaceMm: 20 },
  // An L12-5-like linear probe: 38 mm wide, 5 cm deep.
  'linear-7.5': { id: 'linear-7.5', name: 'Linear 7.5 MHz', type: 'linear', frequencyMHz: 7.5, columns: 380, rows: 500, mmPerPixel: 0.1, footprintWidthMm: 38, radiusMm: 0, sectorDeg: 0, depthMm: 50, sensorToFaceMm: 15 },
};

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
  if (model.type === 'linear') return Math.abs(x) <= model.footprintWidthMm / 2 && y >= 0 && y <= model.depthMm;
  // Curvilinear: centre of curvature R above the face centre.
  const dy = y + model.radiusMm;
  const r = Math.hypot(x, dy);
  const angle = Math.atan2(Math.abs(x), dy);
  return r >= model.radiusMm && r <= model.radiusMm + model.depthMm && angle <= ((model.sectorDeg / 2) * Math.PI) / 180;
}

/** Probe-frame position (mm) of the centre of the face, where the probe touches the skin. */
export const faceCentreInProbe = (model: ProbeModel): Vec3 => [0, model.sensorToFaceMm, 0];
