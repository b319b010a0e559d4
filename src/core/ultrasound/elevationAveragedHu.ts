import type { Vec3 } from '../geometry/vec3';
import type { Transform } from '../frames/transform';
import type { CtVolume } from '../volume/ctVolume';
import { ctToCtIjk } from '../volume/volumeGeometry';
import type { ProbeModel } from '../tracking/probeModels';
import { scanLine } from './scanGeometry';
import { QUARTER } from './denoisedVolume';
import type { ElevationTaps } from './elevationBeam';

/** The first sample above this HU (below fat's −100) starts the tissue along a scan line. */
const SKIN_ENTRY_HU = -150;

/**
 * For scan lines [first, last) of a frame, the denoised HU at every sample averaged across the
 * elevation beam (`taps`: offsets along the image normal `normal` and their weights), into `hu`
 * (line-major from line `first`); NaN where the line has left the CT while in tissue, or beyond.
 * Air before the first tissue is coupling gel (0 HU): otherwise the skin's air/tissue ramp would
 * reflect and shadow every line differently.
 */
export function elevationAveragedHu(
  volume: CtVolume,
  quarterHu: Int16Array,
  imageToCt: Transform<'Image', 'Ct'>,
  model: ProbeModel,
  lines: number,
  first: number,
  last: number,
  samples: number,
  stepMm: number,
  normal: Vec3,
  taps: ElevationTaps,
  hu: Float32Array,
): void {
  const [nx, ny, nz] = volume.geometry.dimensions;
  const slice = nx * ny;
  const tapCount = taps.offsetsMm.length;
  const origin0 = ctToCtIjk(volume.geometry, [0, 0, 0]);
  const normalIjk = ctToCtIjk(volume.geometry, normal);
  const dn: Vec3 = [normalIjk[0] - origin0[0], normalIjk[1] - origin0[1], normalIjk[2] - origin0[2]];
  const tapI = new Float64Array(tapCount);
  const tapJ = new Float64Array(tapCount);
  const tapK = new Float64Array(tapCount);
  const inv = 1 / QUARTER;
  // The CT is sampled every `stride` samples (at most 0.8 of the finest voxel apart: trilinear HU
  // is nearly linear between such points) and interpolated linearly in between.
  const stride = Math.max(1, Math.floor((0.8 * Math.min(...volume.geometry.spacingMm)) / stepMm));
  const coarseCount = Math.ceil((samples - 1) / stride) + 1;
  const coarseHu = new Float64Array(coarseCount);
  const thin = nx < 2 || ny < 2 || nz < 2;
  for (let l = first; l < last; l++) {
    const row = (l - first) * samples;
    const { origin, step } = scanLine(model, imageToCt, l, lines, stepMm);
    const ijk0 = ctToCtIjk(volume.geometry, origin);
    const ijk1 = ctToCtIjk(volume.geometry, [origin[0] + step[0], origin[1] + step[1], origin[2] + step[2]]);
    const di = (ijk1[0] - ijk0[0]) * stride;
    const dj = (ijk1[1] - ijk0[1]) * stride;
    const dk = (ijk1[2] - ijk0[2]) * stride;
    for (let t = 0; t < tapCount; t++) {
      tapI[t] = ijk0[0] + dn[0] * taps.offsetsMm[t]!;
      tapJ[t] = ijk0[1] + dn[1] * taps.offsetsMm[t]!;
      tapK[t] = ijk0[2] + dn[2] * taps.offsetsMm[t]!;
    }
    for (let c = 0; c < coarseCount; c++) {
      let sum = 0;
      let weightIn = 0;
      for (let t = 0; t < tapCount; t++) {
        const i = tapI[t]! + di * c;
        const j = tapJ[t]! + dj * c;
        const k = tapK[t]! + dk * c;
        let value: number;
        if (thin) {
          if (i < -0.5 || j < -0.5 || k < -0.5 || i > nx - 0.5 || j > ny - 0.5 || k > nz - 0.5) continue;
          value = nearestQuarterHu(quarterHu, nx, ny, nz, i, j, k) * inv;
        } else {
          // Beyond the CT there is no data.
          if (i < 0 || j < 0 || k < 0 || i > nx - 1 || j > ny - 1 || k > nz - 1) continue;
          const i0 = Math.min(i | 0, nx - 2);
          const j0 = Math.min(j | 0, ny - 2);
          const k0 = Math.min(k | 0, nz - 2);
          const fi = i - i0;
          const fj = j - j0;
          const fk = k - k0;
          const b = i0 + j0 * nx + k0 * slice;
          const c00 = quarterHu[b]! + (quarterHu[b + 1]! - quarterHu[b]!) * fi;
          const c10 = quarterHu[b + nx]! + (quarterHu[b + nx + 1]! - quarterHu[b + nx]!) * fi;
          const c01 = quarterHu[b + slice]! + (quarterHu[b + slice + 1]! - quarterHu[b + slice]!) * fi;
          const c11 = quarterHu[b + slice + nx]! + (quarterHu[b + slice + nx + 1]! - quarterHu[b + slice + nx]!) * fi;
          const c0 = c00 + (c10 - c00) * fj;
          value = (c0 + (c01 + (c11 - c01) * fj - c0) * fk) * inv;
        }
        const w = taps.weights[t]!;
        sum += w * value;
        weightIn += w;
      }
      // Mostly outside the CT: no data (NaN).
      coarseHu[c] = weightIn < 0.5 ? Number.NaN : sum / weightIn;
    }
    let inTissue = false;
    let ended = false;
    for (let s = 0; s < samples; s++) {
      if (ended) {
        hu[row + s] = Number.NaN;
        continue;
      }
      const c = Math.floor(s / stride);
      const f = s / stride - c;
      const a = coarseHu[c]!;
      const b = c + 1 < coarseCount ? coarseHu[c + 1]! : a;
      let value = f === 0 ? a : a + (b - a) * f;
      if (Number.isNaN(value)) {
        // Outside the CT: air before the skin, the end of the data once in tissue.
        if (inTissue) {
          ended = true;
          hu[row + s] = Number.NaN;
          continue;
        }
        value = -1000;
      }
      if (!inTissue) {
        if (value > SKIN_ENTRY_HU) inTissue = true;
        else value = 0;
      }
      hu[row + s] = value;
    }
  }
}

/** Quarter-HU of the nearest voxel (volumes of one slice or one row), −1000 HU outside. */
function nearestQuarterHu(quarterHu: Int16Array, nx: number, ny: number, nz: number, i: number, j: number, k: number): number {
  const ri = Math.round(i);
  const rj = Math.round(j);
  const rk = Math.round(k);
  if (ri < 0 || rj < 0 || rk < 0 || ri >= nx || rj >= ny || rk >= nz) return -1000 * QUARTER;
  return quarterHu[ri + rj * nx + rk * nx * ny]!;
}
