/**
 * The point-spread function on the scan-line data (lines × samples, line-major): a Gaussian along
 * each line (axial, from the pulse length) and one across lines whose width changes with depth
 * (lateral, from the aperture and the focus).
 */

function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(2.5 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp((-i * i) / (2 * sigma * sigma));
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  return kernel;
}

export function blurAxial(data: Float32Array, lines: number, samples: number, sigma: number): void {
  if (sigma < 0.3) return;
  const kernel = gaussianKernel(sigma);
  // Up to 9 taps (σ ≤ 1.6 samples, every probe's usual case) the kernel is centred in nine
  // locals and the sum unrolled: a loop over a kernel array cost three times as much.
  if (kernel.length <= 9) {
    const k9 = new Float64Array(9);
    k9.set(kernel, (9 - kernel.length) / 2);
    const [k0, k1, k2, k3, k4, k5, k6, k7, k8] = k9 as unknown as [number, number, number, number, number, number, number, number, number];
    const padded = new Float32Array(samples + 8);
    for (let l = 0; l < lines; l++) {
      const offset = l * samples;
      padded.set(data.subarray(offset, offset + samples), 4);
      padded.fill(data[offset]!, 0, 4);
      padded.fill(data[offset + samples - 1]!, 4 + samples);
      for (let s = 0; s < samples; s++) {
        data[offset + s] =
          k0 * padded[s]! +
          k1 * padded[s + 1]! +
          k2 * padded[s + 2]! +
          k3 * padded[s + 3]! +
          k4 * padded[s + 4]! +
          k5 * padded[s + 5]! +
          k6 * padded[s + 6]! +
          k7 * padded[s + 7]! +
          k8 * padded[s + 8]!;
      }
    }
    return;
  }
  const taps = kernel.length;
  const radius = (taps - 1) / 2;
  // Each line copied once into a row padded with its edge values: no clamping in the inner loop.
  const padded = new Float32Array(samples + 2 * radius);
  for (let l = 0; l < lines; l++) {
    const offset = l * samples;
    padded.set(data.subarray(offset, offset + samples), radius);
    padded.fill(data[offset]!, 0, radius);
    padded.fill(data[offset + samples - 1]!, radius + samples);
    for (let s = 0; s < samples; s++) {
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += kernel[k]! * padded[s + k]!;
      data[offset + s] = acc;
    }
  }
}

/**
 * Lateral blur across lines, its width a function of depth (sample index): a Gaussian of that
 * σ approximated by three box filters in turn (running sums: a cost independent of σ, where a
 * direct kernel of up to 31 taps at each depth cost more than the rest of the frame).
 */
export function blurLateral(I: Float32Array, Q: Float32Array, lines: number, samples: number, sigmaAt: (sample: number) => number): void {
  const radii = new Int32Array(3 * samples);
  for (let s = 0; s < samples; s++) boxRadiiForGaussian(Math.min(sigmaAt(s), 6), radii, 3 * s);
  const row = new Float32Array(lines);
  const out = new Float32Array(lines);
  for (const data of [I, Q]) {
    for (let s = 0; s < samples; s++) {
      if (radii[3 * s]! + radii[3 * s + 1]! + radii[3 * s + 2]! === 0) continue;
      for (let l = 0; l < lines; l++) row[l] = data[l * samples + s]!;
      for (let pass = 0; pass < 3; pass++) {
        const r = radii[3 * s + pass]!;
        if (r === 0) continue;
        boxBlur(row, out, lines, r);
        row.set(out);
      }
      for (let l = 0; l < lines; l++) data[l * samples + s] = row[l]!;
    }
  }
}

/**
 * Radii of three successive box filters whose combination has a standard deviation close to σ
 * (a box of width w = 2r + 1 has variance (w² − 1)/12; the radii split 3σ² between them).
 */
function boxRadiiForGaussian(sigma: number, out: Int32Array, at: number): void {
  if (sigma < 0.3) {
    out.fill(0, at, at + 3);
    return;
  }
  const ideal = Math.sqrt((12 * sigma * sigma) / 3 + 1);
  const low = Math.max(1, Math.floor(ideal) - (Math.floor(ideal) % 2 === 0 ? 1 : 0));
  const high = low + 2;
  // How many of the three passes use the narrower box so the variances add up to σ².
  const m = Math.round((12 * sigma * sigma - 3 * low * low - 12 * low - 9) / (-4 * low - 4));
  for (let pass = 0; pass < 3; pass++) out[at + pass] = ((pass < m ? low : high) - 1) / 2;
}

/** Moving average of radius r (edge values repeated), from `row` into `out`. */
function boxBlur(row: Float32Array, out: Float32Array, n: number, r: number): void {
  const last = n - 1;
  let acc = row[0]! * (r + 1);
  for (let j = 1; j <= r; j++) acc += row[Math.min(j, last)]!;
  const scale = 1 / (2 * r + 1);
  for (let i = 0; i < n; i++) {
    out[i] = acc * scale;
    acc += row[Math.min(i + r + 1, last)]! - row[Math.max(i - r, 0)]!;
  }
}
