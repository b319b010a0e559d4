/**
 * Behind gas the shadow is "dirty": the gas reflects almost everything, and the echo bounces
 * between the gas and the probe face, so copies of it recur at multiples of the gas depth
 * (A-lines), and a ring-down haze of incoherent reverberation fills the shadow instead of black.
 *
 * Amplitudes are set before the TGC and the gain, in mm (not samples), so they hold at any sample
 * count. Each reverberation has crossed the tissue above the gas once more each way, so it carries
 * that extra two-way attenuation (which the TGC, set for the same tissue, gives back) times a
 * loss per bounce the TGC does not: the A-lines fall by A_LINE_RATIO (−6.9 dB) per bounce on the
 * display and the haze by HAZE_DECAY_MM (−1.4 dB/mm) — no band the TGC lifts at depth.
 * Randomised but deterministic: seeded by the line and the gas depth (0.1 mm), so a still probe
 * shows a still image, and neighbouring lines and depths differ as a real ring-down does.
 */
export interface RingDownGeometry {
  /** Distance between samples along the line, mm. */
  readonly stepMm: number;
  readonly frequencyMHz: number;
  /** The scan line's index in the whole frame (the seed), when `line` indexes a part of it. */
  readonly frameLine?: number;
}

/** Each bounce's copy relative to the one before (probe face × gas reflection, amplitude). */
export const A_LINE_RATIO = 0.45;
/** Each A-line's amplitude varies by up to ±A_LINE_JITTER (seeded). */
const A_LINE_JITTER = 0.25;
/**
 * The haze just below the gas, relative to the gas echo (−60 dB: the gas echo is some 50 dB over
 * tissue speckle, so the haze starts about 10 dB under the tissue above), and its e-fold depth on
 * the display, mm.
 */
const HAZE = 0.004;
export const HAZE_DECAY_MM = 6;
/** Attenuation of the tissue above the gas, dB/cm/MHz (what the synthesis's TGC compensates). */
const NEAR_TISSUE_DB_PER_CM_MHZ = 0.85;
/** The haze's grain: a value per quarter wavelength along the line, interpolated between. */
const CELLS_PER_WAVELENGTH = 4;
/** Used only when a caller gives no geometry (the old signature): 0.1 mm, 5 MHz. */
const FALLBACK: RingDownGeometry = { stepMm: 0.1, frequencyMHz: 5 };

export function addDirtyShadow(I: Float32Array, Q: Float32Array, line: number, samples: number, gasSample: number, echo: number, geometry: RingDownGeometry = FALLBACK): void {
  if (!(gasSample > 0) || !(echo > 0)) return;
  const { stepMm, frequencyMHz: f } = geometry;
  const base = line * samples;
  const gasDepthMm = gasSample * stepMm;
  const seed = hash2(geometry.frameLine ?? line, Math.round(gasDepthMm * 10));
  // Two-way amplitude factor per mm of extra path through the tissue above the gas.
  const perMm = 10 ** ((-2 * NEAR_TISSUE_DB_PER_CM_MHZ * f) / 10 / 20);
  for (let k = 2; ; k++) {
    const at = Math.round((k * gasDepthMm) / stepMm);
    if (at >= samples) break;
    const jitter = 1 + A_LINE_JITTER * unit(hash2(seed, k));
    I[base + at] = I[base + at]! + echo * A_LINE_RATIO ** (k - 1) * perMm ** ((k - 1) * gasDepthMm) * jitter;
  }
  const cellMm = 1.54 / f / CELLS_PER_WAVELENGTH;
  for (let s = gasSample + 1; s < samples; s++) {
    const beyondMm = (s - gasSample) * stepMm;
    const amplitude = echo * HAZE * Math.exp(-beyondMm / HAZE_DECAY_MM) * perMm ** beyondMm;
    if (amplitude < echo * 1e-7) break;
    const cell = beyondMm / cellMm;
    const c = Math.floor(cell);
    const t = cell - c;
    const nI = unit(hash2(seed, 2 * c)) * (1 - t) + unit(hash2(seed, 2 * c + 2)) * t;
    const nQ = unit(hash2(seed, 2 * c + 1)) * (1 - t) + unit(hash2(seed, 2 * c + 3)) * t;
    I[base + s] = I[base + s]! + amplitude * nI;
    Q[base + s] = Q[base + s]! + amplitude * nQ;
  }
}

/** An integer hash of two integers (32-bit mix). */
function hash2(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A hash as a value in [−1, 1). */
const unit = (h: number): number => h / 2147483648 - 1;
