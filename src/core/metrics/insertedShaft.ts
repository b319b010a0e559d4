import { addScaled, length, scale, subtract, type Vec3 } from '../geometry/vec3';

/**
 * The part of the needle inside the body, from a sample's true tip and hub (Ct mm) and its
 * depth below the skin: the skin entry is `insertedMm` back from the tip along the shaft,
 *   entry = tip − unit(tip − hub) · insertedMm.
 * The shaft is straight (a 22 G spinal needle bends little over the rehearsal's depths).
 */
export interface InsertedShaft {
  readonly entry: Vec3;
  readonly tip: Vec3;
  /** Unit vector from hub to tip; null when tip and hub coincide (a broken sample). */
  readonly direction: Vec3 | null;
  readonly insertedMm: number;
}

export function insertedShaftOf(needle: { readonly tip: Vec3; readonly hub: Vec3 }, insertedMm: number): InsertedShaft {
  const shaft = subtract(needle.tip, needle.hub);
  const shaftLength = length(shaft);
  if (shaftLength === 0) return { entry: needle.tip, tip: needle.tip, direction: null, insertedMm };
  const direction = scale(shaft, 1 / shaftLength);
  return { entry: addScaled(needle.tip, direction, -insertedMm), tip: needle.tip, direction, insertedMm };
}
