import { addScaled, dot, subtract, type Vec3 } from '../geometry/vec3';

/**
 * Where a voxel grid sits in the patient.
 *
 * Frames (documented once here, used everywhere):
 * - `CtIjk`: voxel indices of the loaded volume. Unit: voxels. Origin: the centre of the
 *   first voxel. i runs along a row (increasing column), j down a column (increasing row),
 *   k from slice to slice. Storage order of the voxels is `i + j·nx + k·nx·ny`.
 * - `Ct`: DICOM patient coordinates, LPS. Unit: mm. x toward the patient's left, y toward
 *   posterior, z toward superior (head). Same as cornerstone3D's world.
 *
 * The axes are unit vectors in Ct. They are orthonormal for every volume this loader builds:
 * a gantry-tilted series is resampled onto an orthogonal grid first (see planVolume).
 * k = i × j (right-handed), so k points along the slice normal of ImageOrientationPatient.
 */
export interface VolumeGeometry {
  /** Number of voxels along i, j, k. */
  readonly dimensions: readonly [number, number, number];
  /** Voxel size along i, j, k in mm (i: column spacing = PixelSpacing[1], j: row spacing = PixelSpacing[0]). */
  readonly spacingMm: Vec3;
  /** Ct position of the centre of voxel (0, 0, 0), mm. */
  readonly originInCt: Vec3;
  /** Unit vectors of the i, j and k axes in Ct. */
  readonly axesInCt: readonly [Vec3, Vec3, Vec3];
}

/** CtIjk (fractional voxel indices) → Ct (mm). */
export function ctIjkToCt(geometry: VolumeGeometry, ijk: Vec3): Vec3 {
  const [iAxis, jAxis, kAxis] = geometry.axesInCt;
  const [sx, sy, sz] = geometry.spacingMm;
  let p = addScaled(geometry.originInCt, iAxis, ijk[0] * sx);
  p = addScaled(p, jAxis, ijk[1] * sy);
  return addScaled(p, kAxis, ijk[2] * sz);
}

/** Ct (mm) → CtIjk (fractional voxel indices). Exact inverse of ctIjkToCt for orthonormal axes. */
export function ctToCtIjk(geometry: VolumeGeometry, pointInCt: Vec3): Vec3 {
  const [iAxis, jAxis, kAxis] = geometry.axesInCt;
  const [sx, sy, sz] = geometry.spacingMm;
  const fromOrigin = subtract(pointInCt, geometry.originInCt);
  return [dot(fromOrigin, iAxis) / sx, dot(fromOrigin, jAxis) / sy, dot(fromOrigin, kAxis) / sz];
}

export const voxelCount = (geometry: VolumeGeometry): number => geometry.dimensions[0] * geometry.dimensions[1] * geometry.dimensions[2];

/** Ct position of the centre of the volume (between the first and last voxel centres). */
export function centreInCt(geometry: VolumeGeometry): Vec3 {
  const [nx, ny, nz] = geometry.dimensions;
  return ctIjkToCt(geometry, [(nx - 1) / 2, (ny - 1) / 2, (nz - 1) / 2]);
}

/** Ct extent (mm) of the volume along each of its axes, voxel centre to voxel centre. */
export function extentMm(geometry: VolumeGeometry): Vec3 {
  const [nx, ny, nz] = geometry.dimensions;
  const [sx, sy, sz] = geometry.spacingMm;
  return [(nx - 1) * sx, (ny - 1) * sy, (nz - 1) * sz];
}
