/**
 * The scanner's display map: echo level (dB after TGC and gain; 0 dB is the top of the dynamic
 * range, −DR its bottom) to a grey level 0…255. One function for the app, the pictures and the
 * Node command.
 *
 * Scanners do not map dB linearly: their default grey maps are S-shaped, with a toe that keeps the
 * weakest echoes (noise, fluid) near black and a shoulder that keeps bright reflectors from
 * flattening. Here: a blend of the linear map and a smoothstep (40 % / 60 %), so the middle of the
 * range keeps most of its contrast and the ends roll off.
 */
export function toDisplayGrey(db: number, dynamicRangeDb: number): number {
  const x = Math.min(1, Math.max(0, (db + dynamicRangeDb) / dynamicRangeDb));
  return 255 * (0.4 * x + 0.6 * x * x * (3 - 2 * x));
}
