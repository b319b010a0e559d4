import { addScaled, cross, dot, normalize, scale, type Vec3 } from '../geometry/vec3';

/**
 * A shaft direction turned sideways by `yawDeg` and then toward superior by `pitchDeg`, Ct (LPS),
 * in the needle's own frame so that the shaft turns by exactly acos(cos yaw · cos pitch).
 *
 * Sideways is horizontal: `side` = superior × direction (for a shaft pointing anterior, −y, +yaw
 * turns it toward the patient's left, +x; seen from the head, +yaw is counter-clockwise). It
 * changes the angle from the sagittal plane of a postero-lateral path. Pitch then tilts it toward
 * the head (+) or the feet (−), along the superior direction made perpendicular to the original
 * shaft. For a shaft within 8° of the z axis, where "horizontal" means little, the reference is
 * anterior (−y) instead of superior.
 */
export function redirectDirection(direction: Vec3, yawDeg: number, pitchDeg: number): Vec3 {
  const d = normalize(direction);
  const up: Vec3 = Math.abs(d[2]) > 0.99 ? [0, -1, 0] : [0, 0, 1];
  const side = normalize(cross(up, d));
  const upPerp = cross(d, side);
  const yaw = (yawDeg * Math.PI) / 180;
  const pitch = (pitchDeg * Math.PI) / 180;
  const turned = addScaled(scale(d, Math.cos(yaw)), side, Math.sin(yaw));
  return normalize(addScaled(scale(turned, Math.cos(pitch)), upPerp, Math.sin(pitch)));
}

/** Angle between two directions, degrees. */
export const angleBetweenDeg = (a: Vec3, b: Vec3): number => (Math.acos(Math.max(-1, Math.min(1, dot(normalize(a), normalize(b))))) * 180) / Math.PI;
