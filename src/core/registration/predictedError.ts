import type { Vec3 } from '../geometry/vec3';
import { principalAxes } from './pointSetShape';

/**
 * Fitzpatrick & West (1998), for N fiducials localised with RMS error FLE (3D, mm):
 *   expected FRE² ≈ (1 − 2/N) · FLE²
 *   expected TRE²(target) ≈ FLE²/N · (1 + ⅓ Σₖ dₖ²/fₖ²)
 * dₖ: distance of the target from principal axis k of the fiducial configuration; fₖ: RMS
 * distance of the fiducials from that axis. These are RMS expectations over many
 * registrations; FRE and TRE of one registration are uncorrelated.
 */
export function expectedFreMm(fiducialCount: number, fleMm: number): number {
  return Math.sqrt(Math.max(0, 1 - 2 / fiducialCount)) * fleMm;
}

export function expectedTreMm(fiducials: readonly Vec3[], target: Vec3, fleMm: number): number {
  const n = fiducials.length;
  const { centroid, axes } = principalAxes(fiducials);
  const distanceFromAxis = (p: Vec3, axis: Vec3) => {
    const d: Vec3 = [p[0] - centroid[0], p[1] - centroid[1], p[2] - centroid[2]];
    const along = d[0] * axis[0] + d[1] * axis[1] + d[2] * axis[2];
    return Math.sqrt(Math.max(0, d[0] ** 2 + d[1] ** 2 + d[2] ** 2 - along * along));
  };
  let sum = 0;
  for (const axis of axes) {
    const dk = distanceFromAxis(target, axis);
    const fk2 = fiducials.reduce((s, p) => s + distanceFromAxis(p, axis) ** 2, 0) / n;
    sum += (dk * dk) / fk2;
  }
  return Math.sqrt(((fleMm * fleMm) / n) * (1 + sum / 3));
}
