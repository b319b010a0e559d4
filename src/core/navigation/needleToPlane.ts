import type { Vec3 } from '../geometry/vec3';
import { applyToVector, applyToPoint, type Transform } from '../frames/transform';

/**
 * How the needle stands to the ultrasound image plane: the angle between the shaft and the plane
 * (0° = in plane), and the tip's signed distance from the plane (mm, along the image's elevation
 * axis). What a trainee aligns in an in-plane approach.
 */
export function needleToPlane(needle: { tip: Vec3; hub: Vec3 }, imageToCt: Transform<'Image', 'Ct'>): { angleDeg: number; tipDistanceMm: number } {
  const x = applyToVector(imageToCt, [1, 0, 0]);
  const y = applyToVector(imageToCt, [0, 1, 0]);
  const n: Vec3 = [x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]];
  const nLength = Math.hypot(...n);
  const normal: Vec3 = [n[0] / nLength, n[1] / nLength, n[2] / nLength];
  const shaft: Vec3 = [needle.tip[0] - needle.hub[0], needle.tip[1] - needle.hub[1], needle.tip[2] - needle.hub[2]];
  const shaftLength = Math.hypot(...shaft) || 1;
  const sine = Math.abs(shaft[0] * normal[0] + shaft[1] * normal[1] + shaft[2] * normal[2]) / shaftLength;
  const origin = applyToPoint(imageToCt, [0, 0, 0]);
  const tipDistanceMm = (needle.tip[0] - origin[0]) * normal[0] + (needle.tip[1] - origin[1]) * normal[1] + (needle.tip[2] - origin[2]) * normal[2];
  return { angleDeg: (Math.asin(Math.min(1, sine)) * 180) / Math.PI, tipDistanceMm };
}
