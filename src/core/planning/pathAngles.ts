import { normalize, type Vec3 } from '../geometry/vec3';

/**
 * Angles of a straight path with the anatomical planes, degrees, Ct (LPS). The angle between a
 * line and a plane is 90° minus its angle with the plane's normal: asin(|d·n|). So a path at 41°
 * from the sagittal plane has |dx| = sin 41°; one in the axial plane has dz = 0.
 */
export function pathAngles(direction: Vec3): { readonly fromSagittalDeg: number; readonly fromAxialDeg: number; readonly fromCoronalDeg: number } {
  const d = normalize(direction);
  const deg = (component: number) => (Math.asin(Math.min(1, Math.abs(component))) * 180) / Math.PI;
  return { fromSagittalDeg: deg(d[0]), fromCoronalDeg: deg(d[1]), fromAxialDeg: deg(d[2]) };
}

/**
 * The unit direction from a target out toward the skin that makes the given angles with the
 * sagittal and axial planes (as pathAngles measures them): toward the patient's `side`, out of
 * the `surface` (posterior: the back of a prone patient; anterior: the front of a supine one), and
 * tilted toward the head by `towardHeadDeg` (negative: toward the feet). The inverse of pathAngles.
 */
export function pathDirection(options: {
  readonly fromSagittalDeg: number;
  readonly towardHeadDeg: number;
  readonly side: 'left' | 'right';
  readonly surface: 'posterior' | 'anterior';
}): Vec3 {
  const { fromSagittalDeg, towardHeadDeg, side, surface } = options;
  const x = Math.sin((fromSagittalDeg * Math.PI) / 180) * (side === 'left' ? 1 : -1);
  const z = Math.sin((towardHeadDeg * Math.PI) / 180);
  const rest = 1 - x * x - z * z;
  if (!(fromSagittalDeg >= 0 && fromSagittalDeg <= 90) || rest < -1e-12) {
    throw new Error(
      `No direction is ${fromSagittalDeg}° from the sagittal plane and ${towardHeadDeg}° from the axial plane at once: the two angles must be 0–90° and add up to at most 90°.`,
    );
  }
  const y = Math.sqrt(Math.max(0, rest)) * (surface === 'posterior' ? 1 : -1);
  return [x, y, z];
}
