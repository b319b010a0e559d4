import type { Vec3 } from '../geometry/vec3';
import type { VolumeGeometry } from './volumeGeometry';

/** The patient direction letter of a Ct (LPS) axis: +x Left, +y Posterior, +z Superior. */
export function patientDirectionLetter(directionInCt: Vec3): string {
  const [x, y, z] = directionInCt;
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const az = Math.abs(z);
  if (ax >= ay && ax >= az) return x > 0 ? 'L' : 'R';
  if (ay >= az) return y > 0 ? 'P' : 'A';
  return z > 0 ? 'S' : 'I';
}

/** "axial", "sagittal", "coronal" from the slice normal, or "oblique (n° from axial)". */
export function sliceOrientationName(geometry: VolumeGeometry): string {
  const normal = geometry.axesInCt[2];
  const names = ['sagittal', 'coronal', 'axial'] as const;
  const components = normal.map(Math.abs);
  const dominant = components.indexOf(Math.max(...components));
  const angle = (Math.acos(Math.min(1, components[dominant]!)) * 180) / Math.PI;
  const name = names[dominant]!;
  return angle < 1 ? name : `oblique (${angle.toFixed(1)}° from ${name})`;
}

/** Minimum and maximum HU of the voxels. */
export function huRange(voxels: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let index = 0; index < voxels.length; index++) {
    const value = voxels[index]!;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}
