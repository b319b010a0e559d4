import type { Vec3 } from '../geometry/vec3';
import type { AnalyticShape } from '../phantom/avoidShapes';

/** A point to look at for a case shape (Ct mm): a sphere's or ellipsoid's centre, a tube's middle (between its middle points). */
export function shapeCentre(shape: AnalyticShape): Vec3 {
  if (shape.type !== 'tube') return shape.centre;
  const n = shape.points.length;
  const a = shape.points[Math.floor((n - 1) / 2)]!;
  const b = shape.points[Math.ceil((n - 1) / 2)]!;
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
}
