import type { ImagePlane } from '../reslice/reslicePlane';
import { burnInjectates, type InjectateInCt } from './burnInjectates';
import { burnNeedle, type VoxelGrid } from './burnNeedle';
import { voxelExtentAlongMm, type MetalNeedleInCt } from './needleInCt';
import { planeNormal } from './planeCoordinates';

/**
 * What a confirmation CT shows in one image plane: the planning CT resliced there (its own
 * noise kept), with the injectates where they have spread and the true needle burned in —
 * see burnInjectates (gas −900 HU, fluid 10 HU, soft edges, bone left alone) and burnNeedle
 * (HU 3071 steel with partial volume and subtle, documented streaks). The needle is painted
 * last, as the shaft lies in the injectate.
 *
 * Only what lies in the slab ±halfThicknessMm about the plane shows. By default that is half
 * the slice thickness a CT pass reconstructs: ±1.5 mm, or half the volume's voxel along the
 * plane normal when that is coarser (a 5 mm series keeps its 5 mm slices).
 *
 * `hu`: row-major rows × columns, as reslicePlane returns it. Returns `options.out` (which may be
 * `hu` itself) or a new array; `hu` is left unchanged otherwise.
 */
export interface BurnOptions {
  readonly halfThicknessMm?: number;
  /** Beam-hardening streaks along the shaft (default true). */
  readonly streaks?: boolean;
  readonly out?: Float32Array;
}

export const DEFAULT_HALF_THICKNESS_MM = 1.5;

export function burnIntoImage(
  hu: Float32Array,
  plane: ImagePlane,
  grid: VoxelGrid,
  needle: MetalNeedleInCt | undefined,
  injectates: readonly InjectateInCt[],
  options: BurnOptions = {},
): Float32Array {
  const pixels = plane.columns * plane.rows;
  if (hu.length !== pixels) throw new Error(`The image has ${hu.length} pixels but its plane is ${plane.columns} × ${plane.rows}: reslice it with the same plane.`);
  const halfThicknessMm = options.halfThicknessMm ?? defaultHalfThicknessMm(grid, plane);
  const out = options.out ?? new Float32Array(pixels);
  if (out.length !== pixels) throw new Error(`The output has ${out.length} pixels, the plane ${pixels}.`);
  // The injectates read the CT's noise from the unpainted image: keep a copy when painting in place.
  const source = out === hu && injectates.length > 0 ? hu.slice() : hu;
  if (out !== hu) out.set(hu);
  if (injectates.length > 0) burnInjectates(out, source, plane, injectates, halfThicknessMm);
  if (needle) burnNeedle(out, plane, grid, needle, halfThicknessMm, options.streaks ?? true);
  return out;
}

/** ±1.5 mm, or half the voxel extent along the plane normal when that is more. */
export const defaultHalfThicknessMm = (grid: VoxelGrid, plane: ImagePlane): number => Math.max(DEFAULT_HALF_THICKNESS_MM, voxelExtentAlongMm(grid, planeNormal(plane)) / 2);
