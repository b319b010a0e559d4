import type { Vec3 } from '../geometry/vec3';
import type { ImagePlane } from '../reslice/reslicePlane';
import { voxelExtentAlongMm, type MetalNeedleInCt } from './needleInCt';
import { columnToU, ctToPlaneCoordinates, pixelRange, rowToV } from './planeCoordinates';

/**
 * Paints a steel needle into a CT image (HU) as a scanner would show it.
 *
 * - **Metal**: HU 3071 (the top of the 12-bit scale: steel saturates it) wherever the shaft
 *   comes within R = max(needle radius, half the finest voxel spacing) of the pixel's slab —
 *   the segment through the pixel along the plane normal, ±halfThicknessMm — then blending
 *   linearly back to the CT over one voxel (partial volume). That voxel is the volume's voxel
 *   extent along the in-plane direction across the shaft, so a reformat through 2.5 mm slices
 *   fades the needle over 2.5 mm, as interpolating between saturated slices does, while a
 *   native axial (0.9 mm pixels) shows a sharp line. Only metal inside the slab shows: a shaft
 *   crossing the slice is a dot (or a dash as long as the slab's thickness over the tangent of
 *   the crossing angle); a shaft parallel to the slice more than R + a voxel outside the slab
 *   is not in the image at all.
 * - **Streaks** (beam hardening and the reconstruction kernel's undershoot), kept subtle and
 *   only from the part of the shaft inside the slab, scaled by its in-plane length (full from
 *   20 mm on, so a dot crossing has almost none):
 *   · bands parallel to the shaft: dark right outside the metal (−120 HU), a faint bright band
 *     3 mm further (about +25 HU), as a damped cosine of period 6 mm decaying over 2.5 mm;
 *   · a dark tail on the shaft's axis past each end of the metal in the slab (−250 HU at the
 *     end, decaying over 3 mm, 1 mm wide): the rays along the shaft cross the most steel.
 *   Both start where the metal has faded out (R + a voxel) and taper smoothly to exactly zero
 *   7 mm further, so the CT 10 mm from the shaft is untouched for a thin needle (R ≤ 0.5 mm)
 *   and voxels up to 2.5 mm.
 *
 * Writes into `image` (row-major `rows` × `columns`, as reslicePlane returns it).
 */
export const METAL_HU = 3071;
export const STREAK_REACH_MM = 7;
const BAND_HU = 120;
const BAND_PERIOD_MM = 6;
const BAND_DECAY_MM = 2.5;
const TAIL_HU = 250;
const TAIL_DECAY_MM = 3;
const TAIL_HALF_WIDTH_MM = 1;
const STREAK_FULL_LENGTH_MM = 20;

export interface VoxelGrid {
  readonly spacingMm: Vec3;
  readonly axesInCt: readonly [Vec3, Vec3, Vec3];
}

export function burnNeedle(image: Float32Array, plane: ImagePlane, grid: VoxelGrid, needle: MetalNeedleInCt, halfThicknessMm: number, streaks: boolean): void {
  const h = halfThicknessMm;
  const [hu, hv, hz] = ctToPlaneCoordinates(plane, needle.hub);
  const [tu, tv, tz] = ctToPlaneCoordinates(plane, needle.tip);
  const du = tu - hu;
  const dv = tv - hv;
  const dz = tz - hz;
  const projected = Math.hypot(du, dv);

  // The voxel across the shaft, in the plane (for a shaft along the normal: the in-plane mean).
  const voxelMm =
    projected > 1e-9
      ? voxelExtentAlongMm(grid, combine(plane.right, -dv / projected, plane.down, du / projected))
      : (voxelExtentAlongMm(grid, plane.right) + voxelExtentAlongMm(grid, plane.down)) / 2;
  const radiusMm = Math.max(needle.diameterMm / 2, Math.min(...grid.spacingMm) / 2);
  const metalReach = radiusMm + voxelMm;

  const metalSpan = clipToSlab(hz, dz, h + metalReach);
  if (!metalSpan) return;
  // Pieces of the shaft on which the distance to the pixel's slab has one quadratic form:
  // inside the slab (in-plane distance only) and beyond each face (distance to that face's line).
  const pieces = slabPieces(hz, dz, h);

  const streakSpan = streaks ? clipToSlab(hz, dz, h) : undefined;
  let s0u = 0,
    s0v = 0,
    axisU = 0,
    axisV = 0,
    streakLength = 0,
    streakScale = 0;
  if (streakSpan) {
    s0u = hu + du * streakSpan[0];
    s0v = hv + dv * streakSpan[0];
    streakLength = projected * (streakSpan[1] - streakSpan[0]);
    if (streakLength > 1e-6) {
      axisU = du / projected;
      axisV = dv / projected;
      streakScale = Math.min(1, streakLength / STREAK_FULL_LENGTH_MM);
    }
  }
  // The streaks start where the metal has faded out, R + a voxel from the shaft.
  const streakFromMm = metalReach;
  const reach = Math.max(metalReach, streakScale > 0 ? streakFromMm + STREAK_REACH_MM : 0);
  const a0 = metalSpan[0];
  const a1 = metalSpan[1];
  const uLow = Math.min(hu + du * a0, hu + du * a1) - reach;
  const uHigh = Math.max(hu + du * a0, hu + du * a1) + reach;
  const vLow = Math.min(hv + dv * a0, hv + dv * a1) - reach;
  const vHigh = Math.max(hv + dv * a0, hv + dv * a1) + reach;
  const columns = pixelRange(plane.columns, plane.mmPerPixel, uLow, uHigh);
  const rows = pixelRange(plane.rows, plane.mmPerPixel, vLow, vHigh);
  if (!columns || !rows) return;

  for (let row = rows[0]; row <= rows[1]; row++) {
    const v = rowToV(plane, row);
    for (let column = columns[0]; column <= columns[1]; column++) {
      const u = columnToU(plane, column);
      const index = row * plane.columns + column;
      let value = image[index]!;

      if (streakScale > 0) value += streakScale * streakHu(u - s0u, v - s0v, axisU, axisV, streakLength, streakFromMm);

      // Squared distance from the shaft to the pixel's slab: the smallest over the pieces.
      const qu = hu - u;
      const qv = hv - v;
      let best = Infinity;
      for (const piece of pieces) {
        const zOff = piece.faceZ === undefined ? 0 : hz - piece.faceZ;
        const wz = piece.faceZ === undefined ? 0 : 1;
        const denominator = du * du + dv * dv + wz * dz * dz;
        let t = denominator > 0 ? -(qu * du + qv * dv + wz * zOff * dz) / denominator : piece.from;
        t = Math.min(piece.to, Math.max(piece.from, t));
        const eu = qu + du * t;
        const ev = qv + dv * t;
        const ez = wz * (zOff + dz * t);
        const squared = eu * eu + ev * ev + ez * ez;
        if (squared < best) best = squared;
      }
      const metal = Math.min(1, Math.max(0, (metalReach - Math.sqrt(best)) / voxelMm));
      value += metal * (METAL_HU - value);
      image[index] = Math.min(METAL_HU, Math.max(-1024, value));
    }
  }
}

/**
 * The streak HU at in-plane offset (x, y) from the start of the shaft's metal in the slab, whose
 * projection runs `length` mm along the unit axis (ax, ay). See the header.
 */
function streakHu(x: number, y: number, ax: number, ay: number, length: number, edgeMm: number): number {
  const along = x * ax + y * ay;
  const across = Math.abs(x * ay - y * ax);
  const past = along < 0 ? -along : along > length ? along - length : 0;
  const fromShaft = Math.hypot(past, across);
  const band = Math.max(0, fromShaft - edgeMm);
  let hu = band < STREAK_REACH_MM ? -BAND_HU * Math.cos((2 * Math.PI * band) / BAND_PERIOD_MM) * Math.exp(-band / BAND_DECAY_MM) * taper(band) : 0;
  const beyond = past - edgeMm;
  if (beyond > -edgeMm && beyond < STREAK_REACH_MM && across < 4 * TAIL_HALF_WIDTH_MM) {
    const tail = Math.max(0, beyond);
    hu -= TAIL_HU * Math.exp(-tail / TAIL_DECAY_MM) * Math.exp(-(across * across) / (2 * TAIL_HALF_WIDTH_MM * TAIL_HALF_WIDTH_MM)) * taper(tail);
  }
  return hu;
}

/** 1 at 0, falling smoothly to exactly 0 at STREAK_REACH_MM. */
const taper = (mm: number): number => {
  const x = mm / STREAK_REACH_MM;
  return x >= 1 ? 0 : (1 - x * x) * (1 - x * x);
};

/** The parameter range t ∈ [0, 1] of the shaft hub + t·(tip − hub) with |z| ≤ limit, or undefined. */
function clipToSlab(z0: number, dz: number, limit: number): [number, number] | undefined {
  if (Math.abs(dz) < 1e-12) return Math.abs(z0) <= limit ? [0, 1] : undefined;
  const a = (-limit - z0) / dz;
  const b = (limit - z0) / dz;
  const from = Math.max(0, Math.min(a, b));
  const to = Math.min(1, Math.max(a, b));
  return from <= to ? [from, to] : undefined;
}

interface Piece {
  readonly from: number;
  readonly to: number;
  /** The slab face this piece lies beyond (±h), or undefined inside the slab. */
  readonly faceZ: number | undefined;
}

function slabPieces(z0: number, dz: number, h: number): Piece[] {
  const inside = clipToSlab(z0, dz, h);
  const faceAt = (t: number): number | undefined => {
    const z = z0 + dz * t;
    return Math.abs(z) <= h ? undefined : Math.sign(z) * h;
  };
  if (!inside) return [{ from: 0, to: 1, faceZ: faceAt(0.5) }];
  const pieces: Piece[] = [{ from: inside[0], to: inside[1], faceZ: undefined }];
  if (inside[0] > 0) pieces.push({ from: 0, to: inside[0], faceZ: faceAt(inside[0] / 2) });
  if (inside[1] < 1) pieces.push({ from: inside[1], to: 1, faceZ: faceAt((inside[1] + 1) / 2) });
  return pieces;
}

const combine = (a: Vec3, sa: number, b: Vec3, sb: number): Vec3 => [a[0] * sa + b[0] * sb, a[1] * sa + b[1] * sb, a[2] * sa + b[2] * sb];
