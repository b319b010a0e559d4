import { addScaled, length, subtract } from '../geometry/vec3';
import type { CtVolume } from '../volume/ctVolume';
import { ctToCtIjk } from '../volume/volumeGeometry';
import { trilinearSampler } from '../volume/trilinearSampler';
import type { NeedleInCt } from './needleInCt';

/** Above this HU a point on the shaft counts as inside the body (air −1000, fat −100). */
const BODY_HU = -300;

/**
 * How much of the shaft is inside the body (mm): walking from the hub to the tip in `stepMm`
 * steps, the distance from the tip to the first point whose CT value reads as tissue (the skin
 * entry). Points outside the volume count as air. 0 when the whole shaft is in air; the whole
 * shaft when the hub is in tissue. Gas inside the body (bowel, an injection) does not shorten
 * it, since the walk starts outside.
 */
export function insertedLengthMm(volume: CtVolume, needle: NeedleInCt, stepMm = 1): number {
  const shaft = subtract(needle.tip, needle.hub);
  const shaftMm = length(shaft);
  if (shaftMm === 0) return 0;
  const sample = trilinearSampler(volume);
  const steps = Math.max(1, Math.ceil(shaftMm / stepMm));
  for (let s = 0; s <= steps; s++) {
    const fromHub = (shaftMm * s) / steps;
    const ijk = ctToCtIjk(volume.geometry, addScaled(needle.hub, shaft, fromHub / shaftMm));
    const hu = sample(ijk[0], ijk[1], ijk[2]);
    if (hu !== undefined && hu > BODY_HU) return shaftMm - fromHub;
  }
  return 0;
}
