/**
 * The colour Doppler map (BART: blue away, red towards): a measured velocity (cm/s, + towards
 * the probe) on a ±scale to RGB. Dark red to bright red then yellow towards; dark blue to bright
 * blue then cyan away, as scanners show the faster flow brighter.
 */
export function dopplerColour(velocityCmS: number, scaleCmS: number): [number, number, number] {
  const f = Math.min(1, Math.abs(velocityCmS) / scaleCmS);
  const main = Math.round(110 + 145 * f);
  const highlight = Math.round((230 * Math.max(0, f - 0.7)) / 0.3);
  return velocityCmS >= 0 ? [main, highlight, 0] : [0, highlight, main];
}
