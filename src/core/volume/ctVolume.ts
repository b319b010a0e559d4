import { ctToCtIjk, type VolumeGeometry } from './volumeGeometry';
import type { Vec3 } from '../geometry/vec3';

/**
 * A CT volume as the core reads it: voxels held once, in Hounsfield units, with the geometry
 * that places them in Ct (LPS mm). Nothing here knows cornerstone; the viewer adapter wraps
 * the same `huVoxels` array without copying.
 */
export interface CtVolume {
  readonly geometry: VolumeGeometry;
  /** HU, index `i + j·nx + k·nx·ny`. Int16Array when every slice's rescale is integral. */
  readonly huVoxels: Int16Array | Float32Array;
  readonly seriesInstanceUid: string;
  readonly seriesDescription: string;
  /** Things the user should know about how the volume was built (resampling, rounding, …). */
  readonly warnings: readonly string[];
}

/** HU of the voxel nearest to a Ct point, or undefined outside the volume. */
export function huAtCtPoint(volume: CtVolume, pointInCt: Vec3): number | undefined {
  const ijk = ctToCtIjk(volume.geometry, pointInCt);
  const [nx, ny, nz] = volume.geometry.dimensions;
  const i = Math.round(ijk[0]);
  const j = Math.round(ijk[1]);
  const k = Math.round(ijk[2]);
  if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return undefined;
  return volume.huVoxels[i + j * nx + k * nx * ny];
}
