import { dot, length, subtract, type Vec3 } from '../geometry/vec3';
import type { AnalyticShape } from '../phantom/avoidShapes';

/**
 * A cheap, exact lower bound of the distance from a shaft segment (entry → tip, Ct mm) to an
 * analytic shape, for skipping work: spheres and tubes are capsules, so the true distance is
 * the segment-to-segment distance minus the radius. shaftToStructures tests the shaft at points
 * 0.5 mm apart, so its value is never below this bound (its points are on the segment).
 * Undefined for ellipsoids (their distance is an approximation with no such guarantee).
 */
export function shaftLowerBound(shape: AnalyticShape, entry: Vec3, tip: Vec3): number | undefined {
  switch (shape.type) {
    case 'sphere':
      return segmentToSegment(entry, tip, shape.centre, shape.centre) - shape.radiusMm - ROUNDING_MM;
    case 'tube': {
      const first = shape.points[0];
      if (!first) return undefined;
      let nearest = shape.points.length === 1 ? segmentToSegment(entry, tip, first, first) : Infinity;
      for (let i = 1; i < shape.points.length; i++) nearest = Math.min(nearest, segmentToSegment(entry, tip, shape.points[i - 1]!, shape.points[i]!));
      return nearest - shape.radiusMm - ROUNDING_MM;
    }
    case 'ellipsoid':
      return undefined;
  }
}

/** Margin for floating-point rounding, so the bound stays a bound. */
const ROUNDING_MM = 1e-6;

/** Shortest distance between segments p1–q1 and p2–q2 (Ericson, Real-Time Collision Detection, 5.1.9). */
export function segmentToSegment(p1: Vec3, q1: Vec3, p2: Vec3, q2: Vec3): number {
  const d1 = subtract(q1, p1);
  const d2 = subtract(q2, p2);
  const r = subtract(p1, p2);
  const a = dot(d1, d1);
  const e = dot(d2, d2);
  const f = dot(d2, r);
  const EPS = 1e-12;
  let s: number;
  let t: number;
  if (a <= EPS && e <= EPS) return length(r);
  if (a <= EPS) {
    s = 0;
    t = clamp01(f / e);
  } else {
    const c = dot(d1, r);
    if (e <= EPS) {
      t = 0;
      s = clamp01(-c / a);
    } else {
      const b = dot(d1, d2);
      const denom = a * e - b * b;
      s = denom > EPS ? clamp01((b * f - c * e) / denom) : 0;
      t = (b * s + f) / e;
      if (t < 0) {
        t = 0;
        s = clamp01(-c / a);
      } else if (t > 1) {
        t = 1;
        s = clamp01((b - c) / a);
      }
    }
  }
  const closest1: Vec3 = [p1[0] + d1[0] * s, p1[1] + d1[1] * s, p1[2] + d1[2] * s];
  const closest2: Vec3 = [p2[0] + d2[0] * t, p2[1] + d2[1] * t, p2[2] + d2[2] * t];
  return length(subtract(closest1, closest2));
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));
