/**
 * Colour maps for the CT blended onto the ultrasound. Fusion systems tint the CT so it stays
 * distinguishable from the grey ultrasound under it: "hot" (black → red → yellow → white, bone
 * stands out warm) and "cyan" (black → teal → white); "grey" keeps the CT's own look.
 * Each map is 256 RGB triplets indexed by the windowed grey level.
 */
export type ColourMapName = 'grey' | 'hot' | 'cyan';

function table(colour: (t: number) => [number, number, number]): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let g = 0; g < 256; g++)
    lut.set(
      colour(g / 255).map((v) => Math.round(v * 255)),
      g * 3,
    );
  return lut;
}

const clamp = (v: number) => Math.max(0, Math.min(1, v));

export const COLOUR_MAPS: Record<ColourMapName, Uint8ClampedArray> = {
  grey: table((t) => [t, t, t]),
  hot: table((t) => [clamp(t * 3), clamp(t * 3 - 1), clamp(t * 3 - 2)]),
  cyan: table((t) => [clamp(t * 2 - 1), clamp(t * 1.4), clamp(t * 1.2)]),
};
