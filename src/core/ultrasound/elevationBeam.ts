import type { ProbeModel } from '../tracking/probeModels';

/**
 * The elevation beam: the slice thickness the image integrates across, perpendicular to the
 * image plane. Two-way amplitude profile taken as Gaussian, exp(−e²/2σ²), with its full width at
 * half maximum per probe: 1.2 mm for the linear probe (lens focus ~2 cm), 3 mm for the
 * curvilinear one (../shared/design/ultrasound.md), constant with depth (a simplification: a real
 * lens is narrowest at its elevation focus).
 */
export const elevationFwhmMm = (model: Pick<ProbeModel, 'type'>): number => (model.type === 'linear' ? 1.2 : 3);

export const elevationSigmaMm = (model: Pick<ProbeModel, 'type'>): number => elevationFwhmMm(model) / (2 * Math.sqrt(2 * Math.LN2));

/** Taps across the elevation beam: offsets from the image plane (mm) and their weights (sum 1). */
export interface ElevationTaps {
  readonly offsetsMm: Float64Array;
  readonly weights: Float64Array;
}

/**
 * Taps a quarter of the FWHM apart (the bound: partial volume across the slice is seen),
 * out to ±1.8 σ (95 % of the profile's weight), symmetric about the image plane.
 */
export function elevationTaps(model: Pick<ProbeModel, 'type'>): ElevationTaps {
  const sigma = elevationSigmaMm(model);
  const spacing = elevationFwhmMm(model) / 4;
  const half = Math.floor((1.8 * sigma) / spacing);
  const offsetsMm = new Float64Array(2 * half + 1);
  const weights = new Float64Array(2 * half + 1);
  let sum = 0;
  for (let j = -half; j <= half; j++) {
    offsetsMm[j + half] = j * spacing;
    sum += weights[j + half] = Math.exp(-((j * spacing) ** 2) / (2 * sigma * sigma));
  }
  for (let j = 0; j < weights.length; j++) weights[j]! /= sum;
  return { offsetsMm, weights };
}

/**
 * The model's speckle correlation after moving the image plane `shiftMm` out of plane: for
 * scatterers uncorrelated in space, the echo's complex correlation is the overlap of the two
 * beam profiles, exp(−d²/4σ²), and the envelope intensity's correlation its square, exp(−d²/2σ²).
 */
export const predictedElevationCorrelation = (model: Pick<ProbeModel, 'type'>, shiftMm: number): number => Math.exp(-(shiftMm * shiftMm) / (2 * elevationSigmaMm(model) ** 2));
