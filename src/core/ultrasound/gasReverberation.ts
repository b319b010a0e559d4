/**
 * Behind gas the shadow is "dirty": the gas echo bounces between the probe face and the gas, so
 * copies of it recur at multiples of the gas depth (A-lines), each weaker (×0.45), and a faint
 * ring-down haze (0.4 % of the echo, fading over 2 cm) fills the shadow instead of black.
 */
export function addDirtyShadow(I: Float32Array, Q: Float32Array, line: number, samples: number, gasSample: number, echo: number): void {
  const base = line * samples;
  for (let k = 2; k * gasSample < samples; k++) {
    const at = base + k * gasSample;
    I[at] = I[at]! + echo * 0.45 ** (k - 1);
  }
  for (let s = gasSample + 1; s < samples; s++) {
    const fade = Math.exp(-(s - gasSample) / (samples * 0.13));
    // A deterministic pattern per depth (the ring-down is coherent along the line, not speckle).
    const ripple = 0.5 + 0.5 * Math.cos(s * 1.7 + line * 0.3);
    I[base + s] = I[base + s]! + echo * 0.004 * fade * ripple;
  }
}
