import type { Vec3 } from '../../core/geometry/vec3';
import type { ImagePlane } from '../../core/reslice/reslicePlane';
import { ctToCtIjk, type VolumeGeometry } from '../../core/volume/volumeGeometry';

/**
 * Why the CT-pass axial used to turn 180° against the planning axial: core/ctpass draws the
 * axial "as acquired", right = the slice's row direction (axesInCt[0]) and down = its column
 * direction (axesInCt[1]). For the prone lumbar phantom (rows → R, columns → A) that is patient
 * right on screen right and anterior down, while cornerstone's AXIAL orientation in the planning
 * views is fixed in patient space: screen right = +x (patient left), down = +y (posterior).
 *
 * This puts the axial image in that radiological orientation: each in-plane axis is reversed when
 * it points away from +x (right) or +y (down). Reversing keeps the centre and the pixel grid, so the
 * pixels still sit on voxel centres.
 */
export function orientAxialLikePlanning(axial: ImagePlane): ImagePlane {
  const right = axial.right[0] < 0 ? negate(axial.right) : axial.right;
  const down = axial.down[1] < 0 ? negate(axial.down) : axial.down;
  return { ...axial, right, down };
}

/**
 * The second CT-pass image (the oblique along the needle, or the sagittal without one), with its
 * right made to agree with the axial's right (the needle enters from the same side in both images)
 * when the two are not nearly perpendicular; otherwise, for a sagittal-like plane, right = posterior
 * as in the planning sagittal (cornerstone's SAGITTAL: anterior on the left).
 */
export function orientLikeAxial(plane: ImagePlane, axial: ImagePlane): ImagePlane {
  const along = dot(plane.right, axial.right);
  const flip = Math.abs(along) >= 0.25 ? along < 0 : plane.right[1] < 0;
  return flip ? { ...plane, right: negate(plane.right) } : plane;
}

/** The slice index (k, 0-based, clamped) nearest a Ct point. */
export function sliceIndexOf(geometry: VolumeGeometry, pointInCt: Vec3): number {
  return Math.max(0, Math.min(geometry.dimensions[2] - 1, Math.round(ctToCtIjk(geometry, pointInCt)[2])));
}

const negate = (v: Vec3): Vec3 => [0 - v[0] || 0, 0 - v[1] || 0, 0 - v[2] || 0];
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
