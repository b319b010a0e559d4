import type { UltrasoundSettings } from './ultrasoundSettings';
import { latticeHash } from '../random/latticeHash';

/**
 * The scanner's receiver, after the beamformer: thermal (electronic) noise enters before the
 * time-gain compensation, so the TGC lifts it with depth like the echoes — deep and shadowed
 * regions show faint, spatially uncorrelated noise that rises with the gain, never a smooth grey
 * ramp and never exact zero. The TGC has a ceiling, as a scanner's amplifier has.
 */

/** Soft-tissue attenuation the TGC compensates, dB/cm/MHz (two-way: × 2): between fat (0.6) and muscle (1.0). */
export const TGC_ALPHA_DB_PER_CM_MHZ = 0.85;
/**
 * The most the TGC adds at any depth, dB: 115 dB is reached at 16.4 cm at 3.5 MHz, at 11.5 cm at
 * 5 MHz; deeper, echoes fade into the noise as on a scanner at the end of its penetration.
 */
export const TGC_CEILING_DB = 115;
/**
 * RMS amplitude of the receiver noise in each of I and Q, in the units of the echoes (a plane
 * reflector of coefficient r images at r before TGC and gain): −183 dB, about 140 dB below muscle
 * speckle near the face, so it shows only where the echoes have fallen that far — in a shadow or
 * beyond the penetration, lifted by the TGC toward its ceiling — while a fluid column TGC-boosted
 * to 14 cm at 3.5 MHz stays ≥ 30 dB under the muscle beside it.
 */
export const RECEIVER_NOISE_RMS = 10 ** (-183 / 20);

/**
 * Level of the receiver's reference: an echo of amplitude 1 (a perfect plane reflector, before TGC)
 * reads +40 dB above the top of the display at zero gain, so the gains a scanner starts with are
 * positive and of the usual size (about 20–30 dB).
 */
export const REFERENCE_DB = -40;

/** TGC at a depth (mm) for the settings, dB: the expected two-way soft-tissue loss × settings.tgc, capped. */
export function tgcDb(settings: UltrasoundSettings, depthMm: number): number {
  return Math.min(TGC_CEILING_DB, settings.tgc * 2 * TGC_ALPHA_DB_PER_CM_MHZ * settings.frequencyMHz * (depthMm / 10));
}

/** Gaussian pairs (I, Q) of rms RECEIVER_NOISE_RMS, drawn once (Box–Muller on a seeded sequence): 2¹⁶ of them. */
const NOISE_TABLE_SIZE = 1 << 16;
const noiseTable = (() => {
  const table = new Float32Array(2 * NOISE_TABLE_SIZE);
  let state = 0x2545f491;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4294967296;
  };
  for (let n = 0; n < NOISE_TABLE_SIZE; n++) {
    const radius = RECEIVER_NOISE_RMS * Math.sqrt(-2 * Math.log(next()));
    const angle = 2 * Math.PI * next();
    table[2 * n] = radius * Math.cos(angle);
    table[2 * n + 1] = radius * Math.sin(angle);
  }
  return table;
})();

/**
 * Receiver noise (I, Q) at sample s of line l in frame `seed`: independent Gaussian values of rms
 * RECEIVER_NOISE_RMS, picked from a table by a hash of (seed, line, sample). Same seed, line and
 * sample: same value, so a frame computed in parts equals the frame computed whole; a new seed
 * (the clock) shimmers.
 */
export function receiverNoise(seed: number, line: number, sample: number, out: Float64Array): void {
  const k = (latticeHash(line + 1, sample + 1, seed + 7) & (NOISE_TABLE_SIZE - 1)) * 2;
  out[0] = noiseTable[k]!;
  out[1] = noiseTable[k + 1]!;
}
