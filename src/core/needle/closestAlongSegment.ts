import { addScaled, type Vec3 } from '../geometry/vec3';
import type { Shape } from '../phantom/sdf';

/**
 * Refines where a segment (from `start` along the unit `direction`, 0 … `lengthMm`) comes closest
 * to a shape, starting from a sampled depth `roughDepthMm` good to ±`bracketMm` (shaftToStructures
 * samples every 0.5 mm): golden-section search on the signed distance, to 1 nm (cheap: 30 evaluations).
 */
export function closestAlongSegment(shape: Shape, start: Vec3, direction: Vec3, lengthMm: number, roughDepthMm: number, bracketMm = 0.5): { depthMm: number; distanceMm: number } {
  const at = (depth: number) => shape.distance(addScaled(start, direction, depth));
  let lo = Math.max(0, roughDepthMm - bracketMm);
  let hi = Math.min(lengthMm, roughDepthMm + bracketMm);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = at(a);
  let fb = at(b);
  while (hi - lo > 1e-6) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = at(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = at(b);
    }
  }
  // Never worse than the sample it started from.
  const depthMm = (lo + hi) / 2;
  const distanceMm = at(depthMm);
  const rough = at(roughDepthMm);
  return rough < distanceMm ? { depthMm: roughDepthMm, distanceMm: rough } : { depthMm, distanceMm };
}
