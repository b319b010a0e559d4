import type { Vec3 } from '../geometry/vec3';
import { symmetricEigen } from '../linalg/symmetricEigen';

/** Centroid and principal axes of a point set (axes as unit vectors, variances in mm², descending). */
export function principalAxes(points: readonly Vec3[]): { centroid: Vec3; axes: Vec3[]; variances: number[] } {
  const n = points.length;
  const centroid: Vec3 = [0, 1, 2].map((a) => points.reduce((s, p) => s + p[a]!, 0) / n) as unknown as Vec3;
  const cov = new Array<number>(9).fill(0);
  for (const p of points) {
    const d = [p[0] - centroid[0], p[1] - centroid[1], p[2] - centroid[2]];
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) cov[r * 3 + c]! += (d[r]! * d[c]!) / n;
  }
  const { values, vectors } = symmetricEigen(cov, 3);
  return { centroid, axes: vectors.map((v) => [v[0]!, v[1]!, v[2]!] as Vec3), variances: values.map((v) => Math.max(0, v)) };
}

/**
 * Why a fiducial configuration cannot fix a rigid transform, or undefined when it can:
 * fewer than 3 points, all at one place, or all on one line (the rotation about that line
 * would be undetermined). `toleranceMm`: the spread below which a direction counts as absent.
 */
export function degenerateConfiguration(points: readonly Vec3[], toleranceMm = 1): string | undefined {
  if (points.length < 3) return `${points.length} point pair${points.length === 1 ? '' : 's'}: at least 3 are needed for a rigid registration`;
  const { variances } = principalAxes(points);
  const spread = variances.map(Math.sqrt);
  if (spread[0]! < toleranceMm) return 'the fiducials coincide (all within about a millimetre): spread them over the region of interest';
  if (spread[1]! < toleranceMm) return 'the fiducials lie on one line, so the rotation about that line is undetermined: add a fiducial away from the line';
  return undefined;
}
