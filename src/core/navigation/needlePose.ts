import { fromRotationTranslation, type Transform } from '../frames/transform';
import { normalize, type Vec3 } from '../geometry/vec3';

/**
 * The needle's frame in Ct from its mechanics' state, in the Needle frame of frames.ts (origin at the hub
 * (where the sensor sits), +z along the shaft toward the tip, mm; x and y complete a right-handed
 * frame about the shaft (their roll is arbitrary: a round needle's roll does not show).
 */
export function needleToCtOf(state: { readonly hub: Vec3; readonly direction: Vec3 }): Transform<'Needle', 'Ct'> {
  const z = normalize(state.direction);
  const helper: Vec3 = Math.abs(z[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const x = normalize([helper[1] * z[2] - helper[2] * z[1], helper[2] * z[0] - helper[0] * z[2], helper[0] * z[1] - helper[1] * z[0]]);
  const y: Vec3 = [z[1] * x[2] - z[2] * x[1], z[2] * x[0] - z[0] * x[2], z[0] * x[1] - z[1] * x[0]];
  return fromRotationTranslation('Needle', 'Ct', [x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]], state.hub);
}
