import { latticeHash } from '../random/latticeHash';

/**
 * Smooth value noise in three dimensions: hashed values in [−1, 1) on the integer lattice,
 * interpolated linearly inside one of the six tetrahedra of each lattice cube (Kuhn's
 * triangulation; four corners, not eight). Continuous, fixed to its coordinates: the tissue
 * textures built on it move with the anatomy.
 */
export function valueNoise(x: number, y: number, z: number, salt: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const z0 = Math.floor(z);
  const fx = x - x0;
  const fy = y - y0;
  const fz = z - z0;
  let ax = 0,
    ay = 0,
    az = 0,
    bx = 0,
    by = 0,
    bz = 0,
    f1: number,
    f2: number,
    f3: number;
  if (fx >= fy && fx >= fz) {
    ax = 1;
    f1 = fx;
    if (fy >= fz) {
      bx = 1;
      by = 1;
      f2 = fy;
      f3 = fz;
    } else {
      bx = 1;
      bz = 1;
      f2 = fz;
      f3 = fy;
    }
  } else if (fy >= fz) {
    ay = 1;
    f1 = fy;
    if (fx >= fz) {
      bx = 1;
      by = 1;
      f2 = fx;
      f3 = fz;
    } else {
      by = 1;
      bz = 1;
      f2 = fz;
      f3 = fx;
    }
  } else {
    az = 1;
    f1 = fz;
    if (fx >= fy) {
      bx = 1;
      bz = 1;
      f2 = fx;
      f3 = fy;
    } else {
      by = 1;
      bz = 1;
      f2 = fy;
      f3 = fx;
    }
  }
  return (
    (1 - f1) * lattice(x0, y0, z0, salt) +
    (f1 - f2) * lattice(x0 + ax, y0 + ay, z0 + az, salt) +
    (f2 - f3) * lattice(x0 + bx, y0 + by, z0 + bz, salt) +
    f3 * lattice(x0 + 1, y0 + 1, z0 + 1, salt)
  );
}

/** A value in [−1, 1) for an integer lattice point. */
const lattice = (x: number, y: number, z: number, salt: number): number => latticeHash(x, y, z, salt) / 0x80000000 - 1;
