import { addScaled, normalize, type Vec3 } from '../geometry/vec3';
import { huAtCtPoint, type CtVolume } from '../volume/ctVolume';

/** HU above which a voxel counts as the patient (skin), below as air. */
const SKIN_THRESHOLD_HU = -400;

/**
 * Where a ray first meets the skin: marched from `from` (in air) along `direction` in 0.5 mm
 * steps, then refined by bisection to 0.05 mm. Undefined when it leaves the volume first.
 */
export function skinContact(volume: CtVolume, from: Vec3, direction: Vec3, maxDistanceMm = 600): Vec3 | undefined {
  const d = normalize(direction);
  const inside = (p: Vec3) => (huAtCtPoint(volume, p) ?? -1000) > SKIN_THRESHOLD_HU;
  if (inside(from)) return undefined;
  let previous = 0;
  for (let t = 0.5; t <= maxDistanceMm; t += 0.5) {
    if (inside(addScaled(from, d, t))) {
      let lo = previous;
      let hi = t;
      while (hi - lo > 0.05) {
        const mid = (lo + hi) / 2;
        if (inside(addScaled(from, d, mid))) hi = mid;
        else lo = mid;
      }
      return addScaled(from, d, hi);
    }
    previous = t;
  }
  return undefined;
}
