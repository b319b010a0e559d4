/**
 * Three-component vectors in Float64 (plain JS numbers). Frame-agnostic: the variable name
 * says the frame (`originInCt`, `rowDirectionInCt`). Functions return new tuples; nothing
 * is mutated in place.
 */
export type Vec3 = readonly [number, number, number];

export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const subtract = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const length = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);

/** Unit vector along `a`; throws on a zero vector because no direction can be made of it. */
export function normalize(a: Vec3): Vec3 {
  const n = length(a);
  if (n === 0) throw new Error('Cannot normalise a zero-length vector');
  return scale(a, 1 / n);
}

/** `a + b·s`, the step used to walk along an axis. */
export const addScaled = (a: Vec3, b: Vec3, s: number): Vec3 => [a[0] + b[0] * s, a[1] + b[1] * s, a[2] + b[2] * s];
