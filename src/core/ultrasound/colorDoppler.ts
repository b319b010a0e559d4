import { applyToPoint, applyToVector, type Transform } from '../frames/transform';
import type { Vec3 } from '../geometry/vec3';
import type { ProbeModel } from '../tracking/probeModels';
import { centrelineCmS, lumenRadiusMm, nearestAxis, type DopplerVessel } from './colorDopplerFlow';

/**
 * Colour Doppler inside a colour box (DOM-free): the mean Doppler velocity per image pixel of the
 * box from the case's vessels (colorDopplerFlow.ts).
 *
 * Sign convention (as scanners show it by default, "BART": blue away, red towards): the measured
 * velocity is the flow's component TOWARDS the probe along the beam, v_D = −v · b̂ with b̂ the
 * beam direction into the patient, so v_D = |v| cos(angle between the flow and the line to the
 * probe): positive (red) towards the probe, negative (blue) away, zero at 90°. The velocity scale
 * (±scaleCmS, the Nyquist velocity set by the PRF) wraps what exceeds it (aliasing: a fast forward
 * jet shows as the opposite colour); the wall filter removes what is slower than wallFilterCmS
 * after the wrap (the scanner's high-pass on the slow-time signal).
 */
export interface ColourBox {
  /** Lateral extent as fractions 0…1 of the scan lines (linear: of the array; curvilinear: of the sector angle), from the image's left. */
  readonly lateralFrom: number;
  readonly lateralTo: number;
  /** Depth extent along the beam from the face (curvilinear: from the arc), mm. */
  readonly depthFromMm: number;
  readonly depthToMm: number;
}

export interface DopplerSettings {
  /** Velocity scale (Nyquist velocity, from the PRF), cm/s: ± this much is shown without aliasing. */
  readonly scaleCmS: number;
  /** Wall filter, cm/s: slower measured velocities show no colour. */
  readonly wallFilterCmS: number;
}

export const DEFAULT_DOPPLER_SETTINGS: DopplerSettings = { scaleCmS: 40, wallFilterCmS: 3 };

/** A small box in the middle of the image: 40 % of the width, the middle fifth to half of the depth. */
export function defaultColourBox(depthMm: number): ColourBox {
  return { lateralFrom: 0.3, lateralTo: 0.7, depthFromMm: 0.2 * depthMm, depthToMm: 0.5 * depthMm };
}

export interface ColourDopplerFrame {
  /** The box's bounding rectangle on the image grid (pixels). */
  readonly column0: number;
  readonly row0: number;
  readonly columns: number;
  readonly rows: number;
  /** Measured velocity per pixel of the rectangle (row-major), cm/s after aliasing; NaN = no colour (outside the box, no flow, or under the wall filter). */
  readonly velocityCmS: Float32Array;
  /** Pixels of the box inside each vessel's lumen, by vessel id, with or without colour (at 90° the lumen is there but shows none). */
  readonly lumenPixels: ReadonlyMap<string, number>;
  readonly settings: DopplerSettings;
}

/** Wraps a velocity into [−scale, scale): what a pulsed Doppler with that Nyquist velocity measures. */
export function alias(velocityCmS: number, scaleCmS: number): number {
  const period = 2 * scaleCmS;
  const shifted = (velocityCmS + scaleCmS) % period;
  return (shifted < 0 ? shifted + period : shifted) - scaleCmS;
}

/** The box's lateral fraction and depth (mm) of image pixel (c, r), and the unit beam direction there in the image plane. */
function beamAt(model: ProbeModel, column: number, row: number): { lateral: number; depthMm: number; bx: number; by: number } {
  const x = (column - (model.columns - 1) / 2) * model.mmPerPixel;
  const y = row * model.mmPerPixel;
  if (model.type === 'linear') return { lateral: (x + model.footprintWidthMm / 2) / model.footprintWidthMm, depthMm: y, bx: 0, by: 1 };
  const dy = y + model.radiusMm;
  const theta = Math.atan2(x, dy);
  return { lateral: ((theta * 180) / Math.PI + model.sectorDeg / 2) / model.sectorDeg, depthMm: Math.hypot(x, dy) - model.radiusMm, bx: Math.sin(theta), by: Math.cos(theta) };
}

/** The box's corners and edges mapped to the image grid: the bounding rectangle of the box (pixels). */
export function boxRectangle(model: ProbeModel, box: ColourBox): { column0: number; row0: number; columns: number; rows: number } {
  const s = model.mmPerPixel;
  const centre = (model.columns - 1) / 2;
  const points: [number, number][] = [];
  for (let i = 0; i <= 8; i++) {
    const f = box.lateralFrom + ((box.lateralTo - box.lateralFrom) * i) / 8;
    for (const d of [box.depthFromMm, box.depthToMm]) {
      if (model.type === 'linear') points.push([(f - 0.5) * model.footprintWidthMm, d]);
      else {
        const theta = ((f - 0.5) * model.sectorDeg * Math.PI) / 180;
        const r = model.radiusMm + d;
        points.push([r * Math.sin(theta), r * Math.cos(theta) - model.radiusMm]);
      }
    }
  }
  const cs = points.map(([x]) => x / s + centre);
  const rs = points.map(([, y]) => y / s);
  const column0 = Math.max(0, Math.floor(Math.min(...cs)));
  const row0 = Math.max(0, Math.floor(Math.min(...rs)));
  const column1 = Math.min(model.columns - 1, Math.ceil(Math.max(...cs)));
  const row1 = Math.min(model.rows - 1, Math.ceil(Math.max(...rs)));
  return { column0, row0, columns: Math.max(0, column1 - column0 + 1), rows: Math.max(0, row1 - row0 + 1) };
}

/** Checks a colour box and Doppler settings; a message says what is wrong. */
export function colourBoxProblem(box: ColourBox, settings: DopplerSettings): string | undefined {
  if (![box.lateralFrom, box.lateralTo, box.depthFromMm, box.depthToMm].every(Number.isFinite)) return 'the colour box needs finite edges';
  if (!(box.lateralFrom >= 0 && box.lateralTo <= 1 && box.lateralFrom < box.lateralTo))
    return `the colour box's lateral edges must satisfy 0 ≤ from < to ≤ 1 (found ${box.lateralFrom}…${box.lateralTo})`;
  if (!(box.depthFromMm >= 0 && box.depthFromMm < box.depthToMm)) return `the colour box's depths must satisfy 0 ≤ from < to (found ${box.depthFromMm}…${box.depthToMm} mm)`;
  if (!(settings.scaleCmS > 0) || !(settings.wallFilterCmS >= 0) || settings.wallFilterCmS >= settings.scaleCmS)
    return `the velocity scale must be > 0 and the wall filter from 0 to below it (found ±${settings.scaleCmS}, ${settings.wallFilterCmS} cm/s)`;
  return undefined;
}

/**
 * The colour Doppler frame of the box at time `timeMs` (the pulsation's clock) for the image
 * plane `imageToCt` (pixels of `model`'s grid → Ct mm). Bad input throws with the reason.
 */
export function colourDoppler(
  model: ProbeModel,
  imageToCt: Transform<'Image', 'Ct'>,
  box: ColourBox,
  vessels: readonly DopplerVessel[],
  timeMs: number,
  settings: DopplerSettings = DEFAULT_DOPPLER_SETTINGS,
  /** Bone or gas between a point and the face (colorDopplerShadow.ts): no colour behind them, as no echo returns. */
  shadowed?: (point: Vec3, towardsFace: Vec3, distanceMm: number) => boolean,
): ColourDopplerFrame {
  const problem = colourBoxProblem(box, settings);
  if (problem) throw new Error(problem);
  const rect = boxRectangle(model, box);
  const velocity = new Float32Array(rect.columns * rect.rows).fill(Number.NaN);
  const lumenPixels = new Map<string, number>(vessels.map((v) => [v.id, 0]));
  const origin = applyToPoint(imageToCt, [rect.column0, rect.row0, 0]);
  // Ct mm per pixel step along the image's columns and rows; unit image axes for the beam.
  const ex = applyToVector(imageToCt, [1, 0, 0]);
  const ey = applyToVector(imageToCt, [0, 1, 0]);
  const ux = ex.map((v) => v / model.mmPerPixel);
  const uy = ey.map((v) => v / model.mmPerPixel);
  const active = vessels.map((vessel) => ({
    vessel,
    radius: lumenRadiusMm(vessel, timeMs),
    centre: centrelineCmS(vessel, timeMs),
    bounds: boundsOf(vessel, lumenRadiusMm(vessel, timeMs)),
  }));
  const nearest = new Float64Array(4);
  for (let r = 0; r < rect.rows; r++) {
    for (let c = 0; c < rect.columns; c++) {
      const column = rect.column0 + c;
      const row = rect.row0 + r;
      const beam = beamAt(model, column, row);
      if (beam.lateral < box.lateralFrom || beam.lateral > box.lateralTo || beam.depthMm < box.depthFromMm || beam.depthMm > box.depthToMm) continue;
      const x = origin[0] + ex[0] * c + ey[0] * r;
      const y = origin[1] + ex[1] * c + ey[1] * r;
      const z = origin[2] + ex[2] * c + ey[2] * r;
      let sum = 0;
      let inside = false;
      for (const { vessel, radius, centre, bounds } of active) {
        if (x < bounds[0] || x > bounds[3] || y < bounds[1] || y > bounds[4] || z < bounds[2] || z > bounds[5]) continue;
        nearestAxis(vessel, x, y, z, nearest);
        const rho = nearest[0]!;
        if (rho >= radius) continue;
        inside = true;
        lumenPixels.set(vessel.id, (lumenPixels.get(vessel.id) ?? 0) + 1);
        const speed = centre * (1 - (rho / radius) ** 2);
        // The beam into the patient in Ct; towards the probe is −b̂.
        const bx = ux[0]! * beam.bx + uy[0]! * beam.by;
        const by = ux[1]! * beam.bx + uy[1]! * beam.by;
        const bz = ux[2]! * beam.bx + uy[2]! * beam.by;
        sum += -speed * (nearest[1]! * bx + nearest[2]! * by + nearest[3]! * bz);
      }
      if (!inside) continue;
      if (shadowed) {
        const bx = ux[0]! * beam.bx + uy[0]! * beam.by;
        const by = ux[1]! * beam.bx + uy[1]! * beam.by;
        const bz = ux[2]! * beam.bx + uy[2]! * beam.by;
        if (shadowed([x, y, z], [-bx, -by, -bz], beam.depthMm)) continue;
      }
      const measured = alias(sum, settings.scaleCmS);
      if (Math.abs(measured) >= settings.wallFilterCmS) velocity[r * rect.columns + c] = measured;
    }
  }
  return { ...rect, velocityCmS: velocity, lumenPixels, settings };
}

/** The axis-aligned bounds of a vessel's lumen (Ct mm): [minX, minY, minZ, maxX, maxY, maxZ]. */
function boundsOf(vessel: DopplerVessel, radiusMm: number): [number, number, number, number, number, number] {
  const b: [number, number, number, number, number, number] = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
  for (const p of vessel.points) {
    for (let axis = 0; axis < 3; axis++) {
      b[axis] = Math.min(b[axis]!, p[axis]! - radiusMm);
      b[axis + 3] = Math.max(b[axis + 3]!, p[axis]! + radiusMm);
    }
  }
  return b;
}

/** A vessel counts as inside the box when this much of its lumen (in the image plane) is, mm². */
const LUMEN_IN_BOX_MM2 = 10;

/** The ids of the vessels whose lumen the box holds (at least 10 mm² of it), whatever colour they show. */
export function vesselsInBox(frame: ColourDopplerFrame, mmPerPixel: number): string[] {
  return [...frame.lumenPixels].filter(([, pixels]) => pixels * mmPerPixel * mmPerPixel >= LUMEN_IN_BOX_MM2).map(([id]) => id);
}
