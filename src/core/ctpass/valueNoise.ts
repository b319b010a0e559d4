/**
 * Smooth deterministic 3-D value noise in [−1, 1]: random values on the integer lattice
 * (hashed from the lattice point and `seed`), blended with a smoothstep fade. One unit is one
 * lattice cell: scale the coordinates to set the feature size. The same point gives the same
 * value in every image, so an irregular shape agrees between the axial and oblique views.
 */
export function valueNoise3(x: number, y: number, z: number, seed = 0): number {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const zi = Math.floor(z);
  const fx = fade(x - xi);
  const fy = fade(y - yi);
  const fz = fade(z - zi);
  const at = (i: number, j: number, k: number) => lattice(xi + i, yi + j, zi + k, seed);
  const x00 = at(0, 0, 0) + (at(1, 0, 0) - at(0, 0, 0)) * fx;
  const x10 = at(0, 1, 0) + (at(1, 1, 0) - at(0, 1, 0)) * fx;
  const x01 = at(0, 0, 1) + (at(1, 0, 1) - at(0, 0, 1)) * fx;
  const x11 = at(0, 1, 1) + (at(1, 1, 1) - at(0, 1, 1)) * fx;
  const y0 = x00 + (x10 - x00) * fy;
  const y1 = x01 + (x11 - x01) * fy;
  return y0 + (y1 - y0) * fz;
}

const fade = (t: number): number => t * t * (3 - 2 * t);

/** A value in [−1, 1] for an integer lattice point (an integer hash, murmur-style finaliser). */
function lattice(i: number, j: number, k: number, seed: number): number {
  let h = Math.imul(i | 0, 0x27d4eb2d) ^ Math.imul(j | 0, 0x165667b1) ^ Math.imul(k | 0, 0x9e3779b1) ^ Math.imul(seed | 0, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  h ^= h >>> 15;
  return ((h >>> 0) / 4294967295) * 2 - 1;
}
