import type { CtVolume } from '../volume/ctVolume';

/**
 * The CT as the ultrasound reads it: an edge-preserving smoothing computed once per volume, so
 * CT noise (10–15 HU in real CT) no longer makes echoes or mottles the speckle, while the
 * interfaces between tissues (fat/muscle ≈ 150 HU, muscle/fluid ≈ 40 HU, bone) stay sharp.
 *
 * Method: a separable sigma filter (Lee 1983): along each voxel axis in turn, each voxel becomes
 * the mean of the neighbours within ±`radius` voxels whose value lies within ±2.5·σ of its own,
 * σ being the noise measured in the volume itself. The radius covers about 1.6 mm, at least one
 * voxel and at most three. Stored as quarter-HU in an Int16Array (±8191 HU): one rounding step is
 * 0.25 HU, far below what the reflection's dead zone lets through.
 */
export interface DenoisedVolume {
  /** Quarter-HU (HU × 4), index `i + j·nx + k·nx·ny` like the volume's voxels. */
  readonly quarterHu: Int16Array;
  /** The CT noise measured before smoothing (HU, standard deviation). */
  readonly noiseHu: number;
  /** What is left of it after smoothing (HU), estimated the same way. */
  readonly residualNoiseHu: number;
}

export const QUARTER = 4;
const cache = new WeakMap<object, DenoisedVolume>();

export function denoisedVolume(volume: CtVolume): DenoisedVolume {
  const cached = cache.get(volume.huVoxels);
  if (cached) return cached;
  const [nx, ny, nz] = volume.geometry.dimensions;
  const source = volume.huVoxels;
  const noiseHu = measureNoiseHu(source, nx);
  let data: Int16Array = new Int16Array(source.length);
  for (let v = 0; v < source.length; v++) data[v] = Math.max(-32768, Math.min(32767, Math.round(source[v]! * QUARTER)));
  const threshold = Math.max(4, 2.5 * noiseHu) * QUARTER;
  const dims = [nx, ny, nz] as const;
  for (let axis = 0; axis < 3; axis++) {
    if (dims[axis]! < 3) continue;
    const radius = Math.max(1, Math.min(3, Math.round(1.6 / volume.geometry.spacingMm[axis]!)));
    data = sigmaFilterAlong(data, dims, axis, radius, threshold);
  }
  const quarter = new Float32Array(Math.min(data.length, 1 << 22));
  for (let v = 0; v < quarter.length; v++) quarter[v] = data[v]! / QUARTER;
  const result = { quarterHu: data, noiseHu, residualNoiseHu: measureNoiseHu(quarter, nx) };
  cache.set(volume.huVoxels, result);
  return result;
}

/** One separable pass along `axis` (0: i, 1: j, 2: k) of a grid of `dims` voxels. */
function sigmaFilterAlong(input: Int16Array, dims: readonly [number, number, number], axis: number, radius: number, threshold: number): Int16Array {
  const out = new Int16Array(input.length);
  const strides = [1, dims[0], dims[0] * dims[1]];
  const n = dims[axis]!;
  const stride = strides[axis]!;
  // The two other axes enumerate the runs' first voxels.
  const [a, b] = [0, 1, 2].filter((x) => x !== axis) as [number, number];
  const line = new Int16Array(n);
  for (let ib = 0; ib < dims[b]!; ib++) {
    for (let ia = 0; ia < dims[a]!; ia++) {
      const start = ia * strides[a]! + ib * strides[b]!;
      for (let t = 0; t < n; t++) line[t] = input[start + t * stride]!;
      for (let t = 0; t < n; t++) {
        const centre = line[t]!;
        let sum = centre;
        let count = 1;
        const to = Math.min(n - 1, t + radius);
        for (let u = Math.max(0, t - radius); u <= to; u++) {
          if (u === t) continue;
          const value = line[u]!;
          if (value - centre <= threshold && centre - value <= threshold) {
            sum += value;
            count++;
          }
        }
        out[start + t * stride] = Math.round(sum / count);
      }
    }
  }
  return out;
}

/**
 * The noise standard deviation (HU) from differences of neighbours along a row in soft tissue
 * (both within −200…200 HU): σ ≈ 1.4826 · median|Δ| / √2, robust to the edges between tissues.
 */
function measureNoiseHu(hu: ArrayLike<number>, nx: number): number {
  const differences: number[] = [];
  const stride = Math.max(1, Math.floor(hu.length / 400_000));
  for (let v = 0; v + 1 < hu.length && differences.length < 400_000; v += stride) {
    if ((v + 1) % nx === 0) continue;
    const a = hu[v]!;
    const b = hu[v + 1]!;
    if (a < -200 || a > 200 || b < -200 || b > 200) continue;
    differences.push(Math.abs(a - b));
  }
  if (differences.length < 100) return 0;
  differences.sort((x, y) => x - y);
  return (1.4826 * differences[differences.length >> 1]!) / Math.SQRT2;
}
