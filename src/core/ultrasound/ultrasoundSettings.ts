/** Scanner settings a sonographer changes; defaults per probe come from the probe model. */
export interface UltrasoundSettings {
  readonly frequencyMHz: number;
  /** Image depth shown, mm. */
  readonly depthMm: number;
  readonly gainDb: number;
  readonly dynamicRangeDb: number;
  /** Time-gain compensation, as a fraction of the expected round-trip attenuation (1 = fully compensated for soft tissue). */
  readonly tgc: number;
  readonly focusDepthMm: number;
  readonly lines: number;
  /**
   * Samples per scan line. Omitted (the default), the synthesis takes `sampleCountFor(depth,
   * frequency)`: a step of at most a third of the axial PSF width at any depth and frequency.
   */
  readonly samples?: number;
  /** Tissue texture (muscle fibres, fat septa, fibrillar tendon): on unless false (texture-free blocks for speckle statistics). */
  readonly texture?: boolean;
}

/** Axial PSF amplitude FWHM, mm: about 1.5 wavelengths (a two-cycle pulse), λ = 1.54 mm·MHz / f. */
export const axialPsfFwhmMm = (frequencyMHz: number): number => (1.5 * 1.54) / frequencyMHz;

/** Samples per line so that the step is at most a third of the axial PSF width (at least 256). */
export function sampleCountFor(depthMm: number, frequencyMHz: number): number {
  return Math.max(256, Math.ceil(depthMm / (axialPsfFwhmMm(frequencyMHz) / 3)));
}
