import { addScaled, cross, normalize, subtract, type Vec3 } from '../geometry/vec3';
import type { Transform } from '../frames/transform';
import { skinContact } from '../navigation/skinContact';
import { probePoseInCt } from '../tracking/simulatedRoom';
import type { CtVolume } from '../volume/ctVolume';

/**
 * The probe for an in-plane approach (an instructor's aid): on the skin straight above the target
 * ("up" out of the patient: posterior when prone, anterior when supine), its image plane holding
 * both the planned path (entry → target) and the vertical, the beam looking straight down.
 * Undefined when no skin lies above the target.
 */
export function probeAlongPath(volume: CtVolume, entry: Vec3, target: Vec3, prone: boolean, sensorToFaceMm: number): Transform<'Probe', 'Ct'> | undefined {
  const path = normalize(subtract(target, entry));
  const up: Vec3 = prone ? [0, 1, 0] : [0, -1, 0];
  const normal = normalize(cross(path, up));
  const inward: Vec3 = [-up[0], -up[1], -up[2]];
  const contact = skinContact(volume, addScaled(target, inward, -250), inward);
  return contact ? probePoseInCt(contact, inward, normalize(cross(inward, normal)), sensorToFaceMm) : undefined;
}
