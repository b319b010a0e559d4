import type { Vec3 } from '../geometry/vec3';
import type { FrameName } from './frames';

/**
 * An affine transform that maps coordinates in frame `From` to frame `To` (Float64).
 * `matrix` is 4×4, ROW-major: p_To = M · [p_From; 1], so element (r, c) is matrix[r * 4 + c]
 * and the translation is (matrix[3], matrix[7], matrix[11]). The frames are in the type, so
 * `compose(bToC, aToB)` only compiles when the chain meets at B.
 */
export interface Transform<From extends FrameName, To extends FrameName> {
  readonly from: From;
  readonly to: To;
  readonly matrix: Float64Array;
}

export function transformOf<From extends FrameName, To extends FrameName>(from: From, to: To, rowMajor: ArrayLike<number>): Transform<From, To> {
  if (rowMajor.length !== 16) throw new Error(`A ${from}To${to} transform needs 16 numbers, got ${rowMajor.length}`);
  return { from, to, matrix: Float64Array.from(rowMajor) };
}

export function identity<From extends FrameName, To extends FrameName>(from: From, to: To): Transform<From, To> {
  return transformOf(from, to, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
}

/** From a 3×3 rotation (row-major) and a translation. */
export function fromRotationTranslation<From extends FrameName, To extends FrameName>(from: From, to: To, rotation: ArrayLike<number>, translation: Vec3): Transform<From, To> {
  const r = rotation;
  return transformOf(from, to, [r[0]!, r[1]!, r[2]!, translation[0], r[3]!, r[4]!, r[5]!, translation[1], r[6]!, r[7]!, r[8]!, translation[2], 0, 0, 0, 1]);
}

/** bToC · aToB = aToC: apply aToB first. */
export function compose<A extends FrameName, B extends FrameName, C extends FrameName>(bToC: Transform<B, C>, aToB: Transform<A, NoInfer<B>>): Transform<A, C> {
  if (bToC.from !== aToB.to) throw new Error(`Cannot compose ${bToC.from}To${bToC.to} after ${aToB.from}To${aToB.to}`);
  const m = bToC.matrix;
  const n = aToB.matrix;
  const out = new Float64Array(16);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      out[r * 4 + c] = m[r * 4]! * n[c]! + m[r * 4 + 1]! * n[4 + c]! + m[r * 4 + 2]! * n[8 + c]! + m[r * 4 + 3]! * n[12 + c]!;
    }
  }
  return { from: aToB.from, to: bToC.to, matrix: out };
}

export function applyToPoint(t: Transform<FrameName, FrameName>, p: Vec3): Vec3 {
  const m = t.matrix;
  return [m[0]! * p[0] + m[1]! * p[1] + m[2]! * p[2] + m[3]!, m[4]! * p[0] + m[5]! * p[1] + m[6]! * p[2] + m[7]!, m[8]! * p[0] + m[9]! * p[1] + m[10]! * p[2] + m[11]!];
}

export function applyToVector(t: Transform<FrameName, FrameName>, v: Vec3): Vec3 {
  const m = t.matrix;
  return [m[0]! * v[0] + m[1]! * v[1] + m[2]! * v[2], m[4]! * v[0] + m[5]! * v[1] + m[6]! * v[2], m[8]! * v[0] + m[9]! * v[1] + m[10]! * v[2]];
}

/** The inverse transform (general affine; throws when the matrix is singular). */
export function invert<From extends FrameName, To extends FrameName>(t: Transform<From, To>): Transform<To, From> {
  const m = t.matrix;
  // Inverse of the 3×3 part by cofactors, then the translation.
  const a = m[0]!,
    b = m[1]!,
    c = m[2]!,
    d = m[4]!,
    e = m[5]!,
    f = m[6]!,
    g = m[8]!,
    h = m[9]!,
    i = m[10]!;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new Error(`${t.from}To${t.to} is singular and has no inverse`);
  const inv = [A, -(b * i - c * h), b * f - c * e, B, a * i - c * g, -(a * f - c * d), C, -(a * h - b * g), a * e - b * d].map((v) => v / det);
  const tx = m[3]!,
    ty = m[7]!,
    tz = m[11]!;
  const out = [
    inv[0]!,
    inv[1]!,
    inv[2]!,
    -(inv[0]! * tx + inv[1]! * ty + inv[2]! * tz),
    inv[3]!,
    inv[4]!,
    inv[5]!,
    -(inv[3]! * tx + inv[4]! * ty + inv[5]! * tz),
    inv[6]!,
    inv[7]!,
    inv[8]!,
    -(inv[6]! * tx + inv[7]! * ty + inv[8]! * tz),
    0,
    0,
    0,
    1,
  ];
  return transformOf(t.to, t.from, out);
}

/** Rotation of `angleRad` about a unit axis (Rodrigues), as a row-major 3×3. */
export function rotationAboutAxis(axis: Vec3, angleRad: number): number[] {
  const [x, y, z] = axis;
  const c = Math.cos(angleRad);
  const s = Math.sin(angleRad);
  const k = 1 - c;
  return [c + x * x * k, x * y * k - z * s, x * z * k + y * s, y * x * k + z * s, c + y * y * k, y * z * k - x * s, z * x * k - y * s, z * y * k + x * s, c + z * z * k];
}
