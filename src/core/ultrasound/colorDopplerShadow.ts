import type { Vec3 } from '../geometry/vec3';
import type { CtVolume } from '../volume/ctVolume';
import { ctToCtIjk } from '../volume/volumeGeometry';
import { trilinearSampler } from '../volume/trilinearSampler';

/** Above this HU the beam meets bone; below this, gas (skin air is coupling gel: the march stops at the skin). */
const BONE_HU = 300;
const GAS_HU = -500;
/** March step back towards the face, mm (a cortex is ≥ 1 mm thick). */
const STEP_MM = 0.75;

/**
 * Whether bone or gas lies on the beam between a point and the probe face (Ct, LPS mm): the
 * B-mode shadows everything behind them, and so does the Doppler (no signal returns). Marches
 * from the point back towards the face in 0.75 mm steps; the march ends at the skin (the first
 * gas-like sample after tissue is the air outside, beyond which the coupling gel lies).
 * `towardsFace` is a unit vector, `distanceMm` the distance to the face along it.
 */
export function shadowTest(volume: CtVolume): (point: Vec3, towardsFace: Vec3, distanceMm: number) => boolean {
  const sample = trilinearSampler(volume);
  const [i0, j0, k0] = ctToCtIjk(volume.geometry, [0, 0, 0]);
  const [i1, j1, k1] = ctToCtIjk(volume.geometry, [1, 0, 0]);
  const [i2, j2, k2] = ctToCtIjk(volume.geometry, [0, 1, 0]);
  const [i3, j3, k3] = ctToCtIjk(volume.geometry, [0, 0, 1]);
  // CtIjk is affine in Ct: the columns of its linear part, once.
  const ax = [i1 - i0, j1 - j0, k1 - k0];
  const ay = [i2 - i0, j2 - j0, k2 - k0];
  const az = [i3 - i0, j3 - j0, k3 - k0];
  return (point, towardsFace, distanceMm) => {
    const start = ctToCtIjk(volume.geometry, point);
    const d = [0, 1, 2].map((n) => (ax[n]! * towardsFace[0] + ay[n]! * towardsFace[1] + az[n]! * towardsFace[2]) * STEP_MM);
    let tissueSeen = false;
    for (let s = 1; s * STEP_MM < distanceMm; s++) {
      const hu = sample(start[0] + d[0]! * s, start[1] + d[1]! * s, start[2] + d[2]! * s);
      if (hu === undefined) return false;
      if (hu > BONE_HU) return true;
      if (hu < GAS_HU) return tissueSeen && tissueBeyond(sample, start, d, s);
      tissueSeen = true;
    }
    return false;
  };
}

/** Gas after tissue: bowel gas (tissue again within 5 mm) shadows; the air outside the skin (air up to the face, where the gel is) does not. */
function tissueBeyond(sample: (i: number, j: number, k: number) => number | undefined, start: Vec3, d: number[], from: number): boolean {
  // 5 mm more of the march: outside the body it stays air; bowel gas is followed by tissue again.
  for (let s = from + 1; s < from + 7; s++) {
    const hu = sample(start[0] + d[0]! * s, start[1] + d[1]! * s, start[2] + d[2]! * s);
    if (hu === undefined) return false;
    if (hu > GAS_HU) return true;
  }
  return false;
}
