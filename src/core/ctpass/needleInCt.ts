import type { Vec3 } from '../geometry/vec3';

/**
 * The needle as a confirmation CT sees it: a straight steel shaft from the hub to the tip.
 * Positions in Ct (DICOM LPS mm), the shape of the session record's `needle` ({ tip, hub }).
 */
export interface NeedleInCt {
  readonly tip: Vec3;
  readonly hub: Vec3;
}

/** A needle with its outer diameter, mm (22 G: 0.72; see gaugeDiameterMm in tracking/needleModel). */
export interface MetalNeedleInCt extends NeedleInCt {
  readonly diameterMm: number;
}

/**
 * The extent of a voxel along a unit direction (mm): √Σ (u·axisₐ · spacingₐ)². Equals the
 * spacing along an axis and blends the spacings in between, so an oblique reformat's
 * resolution along a direction follows the voxel grid it was resampled from.
 */
export function voxelExtentAlongMm(geometry: { readonly spacingMm: Vec3; readonly axesInCt: readonly [Vec3, Vec3, Vec3] }, unitDirection: Vec3): number {
  let sum = 0;
  for (let a = 0; a < 3; a++) {
    const axis = geometry.axesInCt[a]!;
    const c = (unitDirection[0] * axis[0] + unitDirection[1] * axis[1] + unitDirection[2] * axis[2]) * geometry.spacingMm[a]!;
    sum += c * c;
  }
  return Math.sqrt(sum);
}
