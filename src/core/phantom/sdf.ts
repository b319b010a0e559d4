import { cross, dot, normalize, subtract, type Vec3 } from '../geometry/vec3';

/**
 * Signed-distance shapes for the synthetic phantoms, in Ct (LPS mm): negative inside,
 * positive outside, |value| ≈ distance to the surface (exact for spheres, capsules and
 * boxes; a close bound for the ellipsoids and blends, which is all partial-volume
 * rasterisation needs near the surface).
 */
export interface Shape {
  distance(p: Vec3): number;
  /** Axis-aligned Ct box outside which the shape is certainly absent: [min, max]. */
  readonly bounds: readonly [Vec3, Vec3];
}

const box = (min: Vec3, max: Vec3): readonly [Vec3, Vec3] => [min, max];
const grow = ([min, max]: readonly [Vec3, Vec3], by: number): readonly [Vec3, Vec3] => [
  [min[0] - by, min[1] - by, min[2] - by],
  [max[0] + by, max[1] + by, max[2] + by],
];

export function sphere(centre: Vec3, radius: number): Shape {
  return {
    distance: (p) => Math.hypot(p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]) - radius,
    bounds: grow(box(centre, centre), radius),
  };
}

/** A segment from a to b swept by a sphere of radius r (linearly from ra to rb when they differ). */
export function capsule(a: Vec3, b: Vec3, ra: number, rb = ra): Shape {
  const ab = subtract(b, a);
  const lengthSq = dot(ab, ab);
  return {
    distance(p) {
      const ap = subtract(p, a);
      const t = lengthSq === 0 ? 0 : Math.min(1, Math.max(0, dot(ap, ab) / lengthSq));
      const dx = ap[0] - ab[0] * t;
      const dy = ap[1] - ab[1] * t;
      const dz = ap[2] - ab[2] * t;
      return Math.hypot(dx, dy, dz) - (ra + (rb - ra) * t);
    },
    bounds: grow(box([Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.min(a[2], b[2])], [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.max(a[2], b[2])]), Math.max(ra, rb)),
  };
}

/** A tube along a polyline (capsules joined), radius interpolated along the points. */
export function tube(points: readonly Vec3[], radii: readonly number[] | number): Shape {
  const radiusAt = (i: number) => (typeof radii === 'number' ? radii : radii[Math.min(i, radii.length - 1)]!);
  const parts = points.slice(1).map((b, i) => capsule(points[i]!, b, radiusAt(i), radiusAt(i + 1)));
  return union(...parts);
}

/**
 * A local frame in Ct: origin and three orthonormal axes (u, v, w). Shapes defined in local
 * coordinates (mm) are placed with `inFrame`.
 */
export interface Frame {
  readonly origin: Vec3;
  readonly axes: readonly [Vec3, Vec3, Vec3];
}

export function frameFrom(origin: Vec3, uHint: Vec3, wHint: Vec3): Frame {
  const w = normalize(wHint);
  const v = normalize(cross(w, uHint));
  const u = cross(v, w);
  return { origin, axes: [u, v, w] };
}

export const toLocal = (frame: Frame, p: Vec3): Vec3 => {
  const d = subtract(p, frame.origin);
  return [dot(d, frame.axes[0]), dot(d, frame.axes[1]), dot(d, frame.axes[2])];
};

export const toCt = (frame: Frame, q: Vec3): Vec3 => {
  const [u, v, w] = frame.axes;
  return [
    frame.origin[0] + u[0] * q[0] + v[0] * q[1] + w[0] * q[2],
    frame.origin[1] + u[1] * q[0] + v[1] * q[1] + w[1] * q[2],
    frame.origin[2] + u[2] * q[0] + v[2] * q[1] + w[2] * q[2],
  ];
};

/** A shape written in a frame's local coordinates; `localExtent` bounds it there (half sizes). */
export function inFrame(frame: Frame, localDistance: (q: Vec3) => number, localExtent: Vec3): Shape {
  // Ct bounds of the local box: project the box's half sizes onto the Ct axes.
  const half: Vec3 = [0, 1, 2].map((axis) => frame.axes.reduce((sum, a, i) => sum + Math.abs(a[axis]!) * localExtent[i]!, 0)) as unknown as Vec3;
  return {
    distance: (p) => localDistance(toLocal(frame, p)),
    bounds: [
      [frame.origin[0] - half[0], frame.origin[1] - half[1], frame.origin[2] - half[2]],
      [frame.origin[0] + half[0], frame.origin[1] + half[1], frame.origin[2] + half[2]],
    ],
  };
}

/** Ellipsoid with semi-axes (a, b, c) along the frame's axes (distance approximated, exact on the axes). */
export function ellipsoid(frame: Frame, radii: Vec3): Shape {
  return inFrame(frame, (q) => ellipsoidDistance(q, radii), radii);
}

export function ellipsoidDistance(q: Vec3, [a, b, c]: Vec3): number {
  const k0 = Math.hypot(q[0] / a, q[1] / b, q[2] / c);
  const k1 = Math.hypot(q[0] / (a * a), q[1] / (b * b), q[2] / (c * c));
  return k1 === 0 ? -Math.min(a, b, c) : (k0 * (k0 - 1)) / k1;
}

/** Elliptic cylinder along the frame's w axis: semi-axes (a, b), half length h, edges rounded by r. */
export function ellipticCylinder(frame: Frame, a: number, b: number, halfLength: number, rounding = 0): Shape {
  return inFrame(frame, (q) => ellipticCylinderDistance(q, a, b, halfLength, rounding), [a, b, halfLength]);
}

export function ellipticCylinderDistance(q: Vec3, a: number, b: number, halfLength: number, rounding = 0): number {
  const radial = ellipseDistance(q[0], q[1], a - rounding, b - rounding);
  const axial = Math.abs(q[2]) - (halfLength - rounding);
  const outside = Math.hypot(Math.max(radial, 0), Math.max(axial, 0));
  return outside + Math.min(Math.max(radial, axial), 0) - rounding;
}

/** Approximate distance to an ellipse in 2D (exact on the axes, good enough near the boundary). */
export function ellipseDistance(x: number, y: number, a: number, b: number): number {
  const k0 = Math.hypot(x / a, y / b);
  const k1 = Math.hypot(x / (a * a), y / (b * b));
  return k1 === 0 ? -Math.min(a, b) : (k0 * (k0 - 1)) / k1;
}

/** Box with half sizes in the frame, edges rounded by r. */
export function roundedBox(frame: Frame, half: Vec3, rounding = 0): Shape {
  return inFrame(frame, (q) => roundedBoxDistance(q, half, rounding), half);
}

export function roundedBoxDistance(q: Vec3, half: Vec3, rounding = 0): number {
  const dx = Math.abs(q[0]) - (half[0] - rounding);
  const dy = Math.abs(q[1]) - (half[1] - rounding);
  const dz = Math.abs(q[2]) - (half[2] - rounding);
  const outside = Math.hypot(Math.max(dx, 0), Math.max(dy, 0), Math.max(dz, 0));
  return outside + Math.min(Math.max(dx, dy, dz), 0) - rounding;
}

/** Half-space on the side of the plane opposite to its normal: distance = (p − point)·n. */
export function halfSpace(point: Vec3, normal: Vec3): Shape {
  const n = normalize(normal);
  const far = 1e5;
  return {
    distance: (p) => dot(subtract(p, point), n),
    bounds: [
      [-far, -far, -far],
      [far, far, far],
    ],
  };
}

export function union(...shapes: Shape[]): Shape {
  return {
    distance(p) {
      let d = Infinity;
      for (const s of shapes) d = Math.min(d, s.distance(p));
      return d;
    },
    bounds: [
      [Math.min(...shapes.map((s) => s.bounds[0][0])), Math.min(...shapes.map((s) => s.bounds[0][1])), Math.min(...shapes.map((s) => s.bounds[0][2]))],
      [Math.max(...shapes.map((s) => s.bounds[1][0])), Math.max(...shapes.map((s) => s.bounds[1][1])), Math.max(...shapes.map((s) => s.bounds[1][2]))],
    ],
  };
}

/** Union blended over `k` mm (polynomial smooth minimum): organic joins, e.g. pedicle into body. */
export function smoothUnion(k: number, ...shapes: Shape[]): Shape {
  const hard = union(...shapes);
  return {
    distance(p) {
      let d = shapes[0]!.distance(p);
      for (let i = 1; i < shapes.length; i++) {
        const e = shapes[i]!.distance(p);
        const h = Math.max(k - Math.abs(d - e), 0) / k;
        d = Math.min(d, e) - (h * h * k) / 4;
      }
      return d;
    },
    bounds: grow(hard.bounds, k / 4),
  };
}

/** Points in `shape` and in every one of `clips` (clips bound nothing). */
export function intersect(shape: Shape, ...clips: Shape[]): Shape {
  return {
    distance(p) {
      let d = shape.distance(p);
      for (const c of clips) d = Math.max(d, c.distance(p));
      return d;
    },
    bounds: shape.bounds,
  };
}

export function subtractShape(shape: Shape, ...holes: Shape[]): Shape {
  return {
    distance(p) {
      let d = shape.distance(p);
      for (const h of holes) d = Math.max(d, -h.distance(p));
      return d;
    },
    bounds: shape.bounds,
  };
}

/** The shape grown (positive) or shrunk (negative) by `by` mm. */
export function offset(shape: Shape, by: number): Shape {
  return { distance: (p) => shape.distance(p) - by, bounds: grow(shape.bounds, Math.max(0, by)) };
}

/**
 * A shape widened along Ct x about x = centreX by `factor` (> 1 wider): turns circular tubes
 * into elliptic ones (muscles are wider than deep). Distances are rescaled to stay a bound.
 */
export function stretchX(shape: Shape, centreX: number, factor: number): Shape {
  const [min, max] = shape.bounds;
  return {
    distance: (p) => shape.distance([centreX + (p[0] - centreX) / factor, p[1], p[2]]) * Math.min(1, factor),
    bounds: [
      [centreX + (min[0] - centreX) * factor, min[1], min[2]],
      [centreX + (max[0] - centreX) * factor, max[1], max[2]],
    ],
  };
}

/** Torus around the frame's w axis: ring of radius `major` in the u–v plane, tube radius `minor`. */
export function torus(frame: Frame, major: number, minor: number): Shape {
  return inFrame(frame, (q) => Math.hypot(Math.hypot(q[0], q[1]) - major, q[2]) - minor, [major + minor, major + minor, minor]);
}
