/**
 * The tissue's scatterers: a random field fixed in patient space (Ct mm), so speckle moves with
 * the anatomy when the probe slides and stays put when only the probe's angle changes.
 */

/** Scatterer lattice spacing, mm: about a quarter of the 3.5 MHz wavelength, finer than the PSF. */
const SPECKLE_CELL_MM = 0.2;

/** A 32-bit hash of an integer lattice point: two 16-bit scatterer amplitudes. */
function latticeHash(x: number, y: number, z: number): number {
  let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ Math.imul(z, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Scatterer amplitudes (I, Q in [−1, 1]) at a point of patient space (Ct mm): random values on a
 * lattice of SPECKLE_CELL_MM, interpolated linearly inside one of the six tetrahedra that split
 * each lattice cube (Kuhn's triangulation: sort the fractions; four corners, not eight, so half the
 * hashing of trilinear). The field is continuous and fixed to the tissue, so the speckle moves
 * with the anatomy however the scan lines sample it.
 */
export function scatterers(x: number, y: number, z: number, out: Float64Array): void {
  const gx = x / SPECKLE_CELL_MM;
  const gy = y / SPECKLE_CELL_MM;
  const gz = z / SPECKLE_CELL_MM;
  const x0 = Math.floor(gx);
  const y0 = Math.floor(gy);
  const z0 = Math.floor(gz);
  const fx = gx - x0;
  const fy = gy - y0;
  const fz = gz - z0;
  // The path from corner (0,0,0) to (1,1,1) steps along the axes in order of decreasing fraction:
  // the first step's axis (a), then the second's added (b); f1 ≥ f2 ≥ f3 the sorted fractions.
  let ax = 0, ay = 0, az = 0, bx = 0, by = 0, bz = 0, f1: number, f2: number, f3: number;
  if (fx >= fy && fx >= fz) {
    ax = 1;
    f1 = fx;
    if (fy >= fz) { bx = 1; by = 1; f2 = fy; f3 = fz; } else { bx = 1; bz = 1; f2 = fz; f3 = fy; }
  } else if (fy >= fz) {
    ay = 1;
    f1 = fy;
    if (fx >= fz) { bx = 1; by = 1; f2 = fx; f3 = fz; } else { by = 1; bz = 1; f2 = fz; f3 = fx; }
  } else {
    az = 1;
    f1 = fz;
    if (fx >= fy) { bx = 1; bz = 1; f2 = fx; f3 = fy; } else { by = 1; bz = 1; f2 = fy; f3 = fx; }
  }
  const w0 = 1 - f1;
  const w1 = f1 - f2;
  const w2 = f2 - f3;
  const w3 = f3;
  const h0 = latticeHash(x0, y0, z0);
  const h1 = latticeHash(x0 + ax, y0 + ay, z0 + az);
  const h2 = latticeHash(x0 + bx, y0 + by, z0 + bz);
  const h3 = latticeHash(x0 + 1, y0 + 1, z0 + 1);
  // Interpolating white noise lowers its variance between lattice points (to 1/4 at a
  // tetrahedron's centre), which would band the image along lattice-aligned scan lines: restore
  // unit variance.
  const norm = 1 / Math.sqrt(w0 * w0 + w1 * w1 + w2 * w2 + w3 * w3);
  // Low 16 bits for I, high 16 for Q, each uniform in [−1, 1).
  out[0] = (w0 * ((h0 & 0xffff) / 0x8000 - 1) + w1 * ((h1 & 0xffff) / 0x8000 - 1) + w2 * ((h2 & 0xffff) / 0x8000 - 1) + w3 * ((h3 & 0xffff) / 0x8000 - 1)) * norm;
  out[1] = (w0 * ((h0 >>> 16) / 0x8000 - 1) + w1 * ((h1 >>> 16) / 0x8000 - 1) + w2 * ((h2 >>> 16) / 0x8000 - 1) + w3 * ((h3 >>> 16) / 0x8000 - 1)) * norm;
}
