import { addScaled, normalize, type Vec3 } from '../geometry/vec3';
import type { CtVolume } from '../volume/ctVolume';
import { ctPointSampler, crossingFraction } from '../needle/ctPointSampler';
import { MARCH_STEP_MM, SKIN_HU } from '../needle/tissueThresholds';

export type SkinEntryResult =
  { readonly ok: true; readonly entry: Vec3; /** Target → entry distance, mm. */ readonly depthMm: number } | { readonly ok: false; readonly reason: string };

/**
 * Where a straight path from `target` (Ct mm) going out along `outward` meets the skin: the point
 * beyond which the ray stays in air (≤ −300 HU, the needle's skin threshold) until it leaves the
 * CT, refined to where the HU crosses −300, so a needle aimed back along the ray punctures the
 * skin there. Air inside the body (bowel gas) is passed through. For planning an entry at a chosen
 * angle: `skinEntryAlong(volume, target, pathDirection({...}))`.
 */
export function skinEntryAlong(volume: CtVolume, target: Vec3, outward: Vec3, maxMm = 400): SkinEntryResult {
  const d = normalize(outward);
  const huOrNaN = ctPointSampler(volume, Number.NaN);
  let lastInBody: number | undefined;
  let leftVolume = false;
  for (let s = 0; s <= maxMm; s += MARCH_STEP_MM) {
    const hu = huOrNaN(addScaled(target, d, s));
    if (Number.isNaN(hu)) {
      leftVolume = true;
      break;
    }
    if (hu > SKIN_HU) lastInBody = s;
  }
  if (lastInBody === undefined) return { ok: false, reason: 'No tissue along this direction from the target: is the target inside the body?' };
  const outside = addScaled(target, d, lastInBody + MARCH_STEP_MM);
  if (Number.isNaN(huOrNaN(outside)) || (!leftVolume && lastInBody + MARCH_STEP_MM > maxMm)) {
    return {
      ok: false,
      reason: `The body reaches ${leftVolume ? 'the edge of the CT' : `${maxMm} mm from the target`} along this direction: no skin to enter through; choose a steeper angle.`,
    };
  }
  const inBody = addScaled(target, d, lastInBody);
  const f = crossingFraction(ctPointSampler(volume), outside, inBody, SKIN_HU);
  const depthMm = lastInBody + MARCH_STEP_MM * (1 - f);
  return { ok: true, entry: addScaled(target, d, depthMm), depthMm };
}
