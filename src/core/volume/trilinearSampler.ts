import type { CtVolume } from './ctVolume';

/**
 * HU by trilinear interpolation at fractional voxel indices (CtIjk), or undefined outside the
 * volume. An axis of one voxel (a single slice) is sampled within half a voxel of it.
 * Shared by the CT reslice and the ultrasound synthesis, both of which march in CtIjk.
 */
export function trilinearSampler(volume: CtVolume): (i: number, j: number, k: number) => number | undefined {
  const { geometry, huVoxels } = volume;
  const [nx, ny, nz] = geometry.dimensions;
  const slice = nx * ny;
  const limit = (n: number) => (n === 1 ? [-0.5, 0.5] : [0, n - 1]);
  const [iMin, iMax] = limit(nx) as [number, number];
  const [jMin, jMax] = limit(ny) as [number, number];
  const [kMin, kMax] = limit(nz) as [number, number];
  const di = nx === 1 ? 0 : 1;
  const dj = ny === 1 ? 0 : nx;
  const dk = nz === 1 ? 0 : slice;
  return (i, j, k) => {
    if (i < iMin || j < jMin || k < kMin || i > iMax || j > jMax || k > kMax) return undefined;
    const i0 = nx === 1 ? 0 : Math.min(Math.floor(i), nx - 2);
    const j0 = ny === 1 ? 0 : Math.min(Math.floor(j), ny - 2);
    const k0 = nz === 1 ? 0 : Math.min(Math.floor(k), nz - 2);
    const fi = nx === 1 ? 0 : i - i0;
    const fj = ny === 1 ? 0 : j - j0;
    const fk = nz === 1 ? 0 : k - k0;
    const b = i0 + j0 * nx + k0 * slice;
    const c00 = huVoxels[b]! + (huVoxels[b + di]! - huVoxels[b]!) * fi;
    const c10 = huVoxels[b + dj]! + (huVoxels[b + dj + di]! - huVoxels[b + dj]!) * fi;
    const c01 = huVoxels[b + dk]! + (huVoxels[b + dk + di]! - huVoxels[b + dk]!) * fi;
    const c11 = huVoxels[b + dk + dj]! + (huVoxels[b + dk + dj + di]! - huVoxels[b + dk + dj]!) * fi;
    const c0 = c00 + (c10 - c00) * fj;
    const c1 = c01 + (c11 - c01) * fj;
    return c0 + (c1 - c0) * fk;
  };
}
