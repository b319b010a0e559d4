import { applyToVector, type Transform } from '../frames/transform';
import type { Vec3 } from '../geometry/vec3';
import type { PlaneRelation } from './navigationSnapshot';

/** Within this distance of the plane the tip is in plane (half the elevation beam), mm. */
const IN_PLANE_MM = 1.5;
/** Above this shaft angle to the plane, the probe should turn to the shaft first, degrees. */
const ALIGNED_DEG = 5;

/**
 * Which way to move the probe to bring the needle into the image plane (an in-plane approach):
 * turn it (Q/E) while the shaft crosses the plane at more than 5°, else slide it across its array
 * (↑/↓) toward the side the tip is on. `probeElevationInCt` is the probe's elevation axis (the ↑
 * key slides along it); the plane's normal is the image's z axis.
 */
export function inPlaneCue(relation: PlaneRelation, imageToCt: Transform<'Image', 'Ct'>, probeElevationInCt: Vec3): string {
  const distance = Math.abs(relation.tipDistanceMm);
  if (relation.angleDeg > ALIGNED_DEG) return `Shaft ${relation.angleDeg.toFixed(0)}° to the plane: rotate the probe (Q/E) to lie along the needle.`;
  if (distance <= IN_PLANE_MM) return 'Needle in plane: the whole shaft and the tip are in the image.';
  const z = applyToVector(imageToCt, [0, 0, 1]);
  const along = z[0] * probeElevationInCt[0] + z[1] * probeElevationInCt[1] + z[2] * probeElevationInCt[2];
  const towardUp = relation.tipDistanceMm * along > 0;
  return `Tip ${distance.toFixed(1)} mm out of plane: slide the probe ${towardUp ? '↑' : '↓'} about ${distance.toFixed(0)} mm.`;
}
