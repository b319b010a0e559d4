/**
 * Exact squared Euclidean distance transform (Felzenszwalb & Huttenlocher 2012), separable:
 * one 1D lower-envelope pass per axis. `grid` holds 0 at feature voxels and FAR
 * elsewhere; on return each voxel holds the squared distance (in voxels²) to the nearest feature.
 */
export function squaredDistanceTransform(grid: Float64Array, dimensions: readonly [number, number, number]): void {
  const [nx, ny, nz] = dimensions;
  const n = Math.max(nx, ny, nz);
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const pass = (count: number, start: number, stride: number) => {
    for (let q = 0; q < count; q++) f[q] = grid[start + q * stride]!;
    envelope(f, count, d, v, z);
    for (let q = 0; q < count; q++) grid[start + q * stride] = d[q]!;
  };
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) pass(nx, j * nx + k * nx * ny, 1);
  for (let k = 0; k < nz; k++) for (let i = 0; i < nx; i++) pass(ny, i + k * nx * ny, nx);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) pass(nz, i + j * nx, nx * ny);
}

/** 1D squared distance of the sampled function f (lower envelope of parabolas); f finite (use FAR for "no feature"). */
function envelope(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    let s = intersection(f, v[k]!, q);
    while (s <= z[k]!) {
      k--;
      s = intersection(f, v[k]!, q);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const p = v[k]!;
    d[q] = (q - p) * (q - p) + f[p]!;
  }
}

const intersection = (f: Float64Array, p: number, q: number): number => (f[q]! + q * q - (f[p]! + p * p)) / (2 * q - 2 * p);

/** "No feature here": finite (the envelope's arithmetic needs it), far above any squared distance on a grid. */
export const FAR = 1e12;
