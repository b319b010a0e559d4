import type { Vec3 } from '../geometry/vec3';
import type { ImagePlane } from '../reslice/reslicePlane';
import { voxelShape, type VoxelShapeSpec } from '../phantom/voxelShape';
import type { Shape } from '../phantom/sdf';
import { columnToU, ctToPlaneCoordinates, pixelRange, planeNormal, rowToV } from './planeCoordinates';
import { valueNoise3 } from './valueNoise';

/**
 * An injected volume as the CT sees it at the moment of the pass (Ct, LPS mm): the region it
 * filled (`region`), or without one a sphere of `radiusMm` around `centre` (the tip).
 * `contrast`: a fluid with iodinated contrast, reading +300 HU.
 */
export interface InjectateInCt {
  readonly centre: Vec3;
  readonly radiusMm: number;
  readonly region?: VoxelShapeSpec;
  readonly medium: 'gas' | 'fluid';
  readonly contrast?: boolean;
}

/** O₂/O₃ mixed into tissue −900 HU (air −1000); water-like fluid 10 HU; diluted iodinated contrast 300 HU. */
export const INJECTATE_HU = { gas: -900, fluid: 10, contrast: 300 } as const;

export const injectateHu = (injectate: InjectateInCt): number => (injectate.medium === 'gas' ? INJECTATE_HU.gas : injectate.contrast ? INJECTATE_HU.contrast : INJECTATE_HU.fluid);

/**
 * The sphere's surface is lobulated: it ripples by ±12 % of the radius (value noise, 8 mm
 * features) plus ±5 % (3 mm features). Injectates do not spread as perfect balls.
 */
const RIPPLE = 0.12;
const RIPPLE_FEATURE_MM = 8;
const FINE_RIPPLE = 0.05;
const FINE_RIPPLE_FEATURE_MM = 3;
/** The soft edge: the fraction filled rises from 0 to 1 over this distance across the surface. */
const EDGE_MM = 1.5;
/**
 * Gas mixes with tissue at its margin: solid gas inside GAS_SOLID_CORE of the radius, then
 * bubbles (value noise at 2.5 mm, about half the shell) that also scatter up to GAS_HALO of
 * the radius beyond the surface — the mottled margin of injected O₂/O₃ on CT.
 */
const GAS_SOLID_CORE = 0.6;
const GAS_HALO = 0.25;
const BUBBLE_FEATURE_MM = 2.5;
/** An injectate displaces soft tissue, not bone: fully below 120 HU (disc annulus, capsule), not at all from 200 HU (cancellous bone, cortex). */
const BONE_FROM_HU = 120;
const BONE_TO_HU = 200;
/** The CT's noise carried into the injectate: the pixel minus its 3×3 mean, limited to ±60 HU so edges of structures do not leak in. */
const NOISE_LIMIT_HU = 60;
/** Samples across the slab (the slice thickness) averaged for each pixel. */
const SLAB_SAMPLES = 5;

/**
 * Paints the injectates into `image` (HU, row-major), reading the CT it came from in `source`
 * (the same pixels before anything was painted; may be `image` itself only if the caller does
 * not mind the noise being taken from already painted pixels). Each pixel is the slab average
 * (±halfThicknessMm along the plane normal) of the filled fraction, weighted by how much the CT
 * there is soft tissue; where filled, the injectate's HU plus the CT's local noise.
 */
export function burnInjectates(image: Float32Array, source: Float32Array, plane: ImagePlane, injectates: readonly InjectateInCt[], halfThicknessMm: number): void {
  const normal = planeNormal(plane);
  const { right, down, centreInCt } = plane;
  for (const [index, injectate] of injectates.entries()) {
    if (injectate.region) {
      burnRegion(image, source, plane, injectate, voxelShape(injectate.region), halfThicknessMm, index * 7919 + 17);
      continue;
    }
    if (!(injectate.radiusMm > 0)) continue;
    const target = injectateHu(injectate);
    const [cu, cv, cz] = ctToPlaneCoordinates(plane, injectate.centre);
    const outer = injectate.radiusMm * (1 + RIPPLE + FINE_RIPPLE + (injectate.medium === 'gas' ? GAS_HALO : 0)) + EDGE_MM / 2;
    if (Math.abs(cz) > outer + halfThicknessMm) continue;
    const columns = pixelRange(plane.columns, plane.mmPerPixel, cu - outer, cu + outer);
    const rows = pixelRange(plane.rows, plane.mmPerPixel, cv - outer, cv + outer);
    if (!columns || !rows) continue;
    const seed = index * 7919 + 17;
    for (let row = rows[0]; row <= rows[1]; row++) {
      const v = rowToV(plane, row);
      for (let column = columns[0]; column <= columns[1]; column++) {
        const u = columnToU(plane, column);
        let filled = 0;
        for (let s = 0; s < SLAB_SAMPLES; s++) {
          const z = -halfThicknessMm + (2 * halfThicknessMm * s) / (SLAB_SAMPLES - 1);
          const distance = Math.hypot(u - cu, v - cv, z - cz);
          if (distance > outer) continue;
          const x = centreInCt[0] + right[0] * u + down[0] * v + normal[0] * z;
          const y = centreInCt[1] + right[1] * u + down[1] * v + normal[1] * z;
          const w = centreInCt[2] + right[2] * u + down[2] * v + normal[2] * z;
          filled += fractionFilled(injectate, [x, y, w], distance, seed);
        }
        if (filled > 0) blendInjectate(image, source, plane.columns, plane.rows, column, row, filled, target);
      }
    }
  }
}

/**
 * A filled region burned in: each pixel the slab average of the filled fraction (the signed
 * distance through a EDGE_MM soft edge: partial volume), weighted by how much the CT there is soft
 * tissue. Gas mixes with tissue within GAS_MOTTLE_MM inside its surface and bubbles up to
 * GAS_HALO_MM beyond it.
 */
function burnRegion(image: Float32Array, source: Float32Array, plane: ImagePlane, injectate: InjectateInCt, shape: Shape, halfThicknessMm: number, seed: number): void {
  const normal = planeNormal(plane);
  const { right, down, centreInCt } = plane;
  const target = injectateHu(injectate);
  const gas = injectate.medium === 'gas';
  const reach = EDGE_MM / 2 + (gas ? GAS_HALO_MM : 0);
  // The region's Ct box in the plane's coordinates: the box's 8 corners projected.
  const [min, max] = shape.bounds;
  let uLow = Infinity,
    uHigh = -Infinity,
    vLow = Infinity,
    vHigh = -Infinity,
    zLow = Infinity,
    zHigh = -Infinity;
  for (let c = 0; c < 8; c++) {
    const corner: Vec3 = [c & 1 ? max[0] : min[0], c & 2 ? max[1] : min[1], c & 4 ? max[2] : min[2]];
    const [u, v, z] = ctToPlaneCoordinates(plane, corner);
    uLow = Math.min(uLow, u);
    uHigh = Math.max(uHigh, u);
    vLow = Math.min(vLow, v);
    vHigh = Math.max(vHigh, v);
    zLow = Math.min(zLow, z);
    zHigh = Math.max(zHigh, z);
  }
  if (zLow > halfThicknessMm + reach || zHigh < -halfThicknessMm - reach) return;
  const columns = pixelRange(plane.columns, plane.mmPerPixel, uLow - reach, uHigh + reach);
  const rows = pixelRange(plane.rows, plane.mmPerPixel, vLow - reach, vHigh + reach);
  if (!columns || !rows) return;
  for (let row = rows[0]; row <= rows[1]; row++) {
    const v = rowToV(plane, row);
    for (let column = columns[0]; column <= columns[1]; column++) {
      const u = columnToU(plane, column);
      let filled = 0;
      for (let s = 0; s < SLAB_SAMPLES; s++) {
        const z = -halfThicknessMm + (2 * halfThicknessMm * s) / (SLAB_SAMPLES - 1);
        const p: Vec3 = [
          centreInCt[0] + right[0] * u + down[0] * v + normal[0] * z,
          centreInCt[1] + right[1] * u + down[1] * v + normal[1] * z,
          centreInCt[2] + right[2] * u + down[2] * v + normal[2] * z,
        ];
        const d = shape.distance(p);
        if (d > reach) continue;
        const inside = Math.min(1, Math.max(0, 0.5 - d / EDGE_MM));
        if (!gas) {
          filled += inside;
          continue;
        }
        const bubbles = smoothstep(-0.1, 0.25, valueNoise3(p[0] / BUBBLE_FEATURE_MM, p[1] / BUBBLE_FEATURE_MM, p[2] / BUBBLE_FEATURE_MM, seed + 2));
        const shell = smoothstep(-GAS_MOTTLE_MM, 0, d);
        const halo = d > 0 ? bubbles * (1 - smoothstep(0, GAS_HALO_MM, d)) : 0;
        filled += Math.max(inside * (1 - shell * (1 - bubbles)), halo);
      }
      if (filled > 0) blendInjectate(image, source, plane.columns, plane.rows, column, row, filled, target);
    }
  }
}

/** Filled regions: gas mottled within this depth of its surface, bubbles this far beyond it (mm). */
const GAS_MOTTLE_MM = 2;
const GAS_HALO_MM = 1.5;

/** How much of the point `pointInCt`, `distance` mm from the centre, the injectate fills (0…1). */
function fractionFilled(injectate: InjectateInCt, pointInCt: Vec3, distance: number, seed: number): number {
  const [x, y, z] = pointInCt;
  const r = injectate.radiusMm;
  const surface =
    r *
    (1 +
      RIPPLE * valueNoise3(x / RIPPLE_FEATURE_MM, y / RIPPLE_FEATURE_MM, z / RIPPLE_FEATURE_MM, seed) +
      FINE_RIPPLE * valueNoise3(x / FINE_RIPPLE_FEATURE_MM, y / FINE_RIPPLE_FEATURE_MM, z / FINE_RIPPLE_FEATURE_MM, seed + 1));
  const inside = Math.min(1, Math.max(0, 0.5 + (surface - distance) / EDGE_MM));
  if (injectate.medium !== 'gas') return inside;
  if (distance < GAS_SOLID_CORE * r) return inside;
  const bubbles = smoothstep(-0.1, 0.25, valueNoise3(x / BUBBLE_FEATURE_MM, y / BUBBLE_FEATURE_MM, z / BUBBLE_FEATURE_MM, seed + 2));
  const shell = smoothstep(GAS_SOLID_CORE * r, surface, distance);
  const halo = bubbles * (1 - smoothstep(surface, surface + GAS_HALO * r, distance));
  return Math.max(inside * (1 - shell * (1 - bubbles)), halo);
}

const smoothstep = (from: number, to: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - from) / (to - from)));
  return t * t * (3 - 2 * t);
};

function mean3x3(image: Float32Array, columns: number, rows: number, column: number, row: number): number {
  let sum = 0;
  let count = 0;
  for (let r = Math.max(0, row - 1); r <= Math.min(rows - 1, row + 1); r++) {
    for (let c = Math.max(0, column - 1); c <= Math.min(columns - 1, column + 1); c++) {
      sum += image[r * columns + c]!;
      count++;
    }
  }
  return sum / count;
}

/**
 * Pixel (column, row) of a plane covered by injectate over `filled` of its SLAB_SAMPLES: blended
 * toward the injectate's HU with the CT's own noise kept, never over bone.
 */
function blendInjectate(image: Float32Array, source: Float32Array, columns: number, rows: number, column: number, row: number, filled: number, target: number): void {
  const p = row * columns + column;
  const ct = source[p]!;
  const weight = (filled / SLAB_SAMPLES) * (1 - smoothstep(BONE_FROM_HU, BONE_TO_HU, ct));
  if (weight === 0) return;
  const noise = Math.max(-NOISE_LIMIT_HU, Math.min(NOISE_LIMIT_HU, ct - mean3x3(source, columns, rows, column, row)));
  image[p] = image[p]! + weight * (target + noise - image[p]!);
}
