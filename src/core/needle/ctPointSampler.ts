import type { Vec3 } from '../geometry/vec3';
import type { CtVolume } from '../volume/ctVolume';
import { trilinearSampler } from '../volume/trilinearSampler';

/**
 * HU at a Ct point (LPS mm) by trilinear interpolation; outside the volume, `outside`
 * (air by default: what lies beyond the scanned field is taken as nothing to feel).
 */
export function ctPointSampler(volume: CtVolume, outside = -1000): (pointInCt: Vec3) => number {
  const sample = trilinearSampler(volume);
  const {
    originInCt: o,
    axesInCt: [ai, aj, ak],
    spacingMm: [si, sj, sk],
  } = volume.geometry;
  return (p) => {
    const dx = p[0] - o[0];
    const dy = p[1] - o[1];
    const dz = p[2] - o[2];
    const hu = sample((dx * ai[0] + dy * ai[1] + dz * ai[2]) / si, (dx * aj[0] + dy * aj[1] + dz * aj[2]) / sj, (dx * ak[0] + dy * ak[1] + dz * ak[2]) / sk);
    return hu ?? outside;
  };
}

/**
 * Where along the segment a → b (Ct mm) the HU first reaches `threshold`, given that it is below
 * at `a` and at or above at `b`: bisected to 1 µm. Returns the fraction of the way (0 … 1).
 * Within one march step (≤ 0.25 mm, less than a voxel) the trilinear HU crosses once.
 */
export function crossingFraction(huAt: (p: Vec3) => number, a: Vec3, b: Vec3, threshold: number): number {
  const lengthMm = Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
  let lo = 0;
  let hi = 1;
  while ((hi - lo) * lengthMm > 1e-3) {
    const mid = (lo + hi) / 2;
    const p: Vec3 = [a[0] + (b[0] - a[0]) * mid, a[1] + (b[1] - a[1]) * mid, a[2] + (b[2] - a[2]) * mid];
    if (huAt(p) >= threshold) hi = mid;
    else lo = mid;
  }
  return hi;
}
