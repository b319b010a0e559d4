import { transformOf, type Transform } from '../frames/transform';

/**
 * The tracked needle: a sensor clipped to the hub (as a V-TRAX clip) and a straight shaft.
 * Needle frame: origin at the hub sensor, +z along the shaft toward the tip, mm.
 * NeedleTip frame: origin at the tip, +z from the tip toward the hub (x kept, y flipped).
 */
export interface NeedleModel {
  readonly name: string;
  readonly gauge: number;
  readonly lengthMm: number;
}

/** The reference study's needle: 22 G, 15 cm spinal. */
export const SPINAL_NEEDLE_22G_15CM: NeedleModel = { name: '22 G 15 cm spinal needle', gauge: 22, lengthMm: 150 };

/** The needle calibration: tip coordinates to hub-sensor coordinates. */
export function needleTipToNeedle(model: NeedleModel): Transform<'NeedleTip', 'Needle'> {
  return transformOf('NeedleTip', 'Needle', [1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, model.lengthMm, 0, 0, 0, 1]);
}

/** Outer diameter of a needle gauge, mm (22 G: 0.72 mm). */
export const gaugeDiameterMm = (gauge: number): number => ({ 18: 1.27, 20: 0.91, 21: 0.82, 22: 0.72, 25: 0.51 })[gauge] ?? 0.72;
