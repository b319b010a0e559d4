/**
 * The scanner's display map: echo level (dB after TGC and gain, 0 dB = the top of the dynamic
 * range) to a grey level 0…255. One function for the app, the pictures and the Node command.
 */
export function toDisplayGrey(db: number, dynamicRangeDb: number): number {
  return ((db + dynamicRangeDb) * 255) / dynamicRangeDb;
}
