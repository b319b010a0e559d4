import { describe, expect, it } from 'vitest';
import { A_LINE_RATIO, addDirtyShadow } from '../../../src/core/ultrasound/gasReverberation';

/**
 * The ring-down below a gas surface 20 mm deep, on lines of 0.05 mm samples to 120 mm at 3.5 MHz,
 * displayed with the synthesis's TGC (2 · 0.9 dB/cm/MHz · f · depth): it must fall with depth on
 * the display, differ from line to line, and be the same for the same line and gas depth.
 */
describe('gas ring-down (dirty shadow)', () => {
  const stepMm = 0.05;
  const samples = 2400;
  const f = 3.5;
  const gasSample = 400; // 20 mm
  const ring = (line: number, gas = gasSample, step = stepMm, n = samples) => {
    const I = new Float32Array(4 * n);
    const Q = new Float32Array(4 * n);
    addDirtyShadow(I, Q, line, n, gas, 1, { stepMm: step, frequencyMHz: f });
    return { I: I.subarray(line * n, (line + 1) * n), Q: Q.subarray(line * n, (line + 1) * n) };
  };
  const displayedDb = (I: Float32Array, Q: Float32Array, s: number, step = stepMm) => 10 * Math.log10(I[s]! ** 2 + Q[s]! ** 2 + 1e-30) + 2 * 0.9 * f * ((s * step) / 10);
  /** Mean displayed power (dB) of the haze over [from, to) mm, leaving out ±0.5 mm around each A-line. */
  const hazeDb = (line: { I: Float32Array; Q: Float32Array }, fromMm: number, toMm: number) => {
    let sum = 0;
    let n = 0;
    for (let s = Math.round(fromMm / stepMm); s < Math.round(toMm / stepMm); s++) {
      const depth = s * stepMm;
      if (Math.abs(depth / 20 - Math.round(depth / 20)) * 20 < 0.5) continue;
      sum += 10 ** (displayedDb(line.I, line.Q, s) / 10);
      n++;
    }
    return 10 * Math.log10(sum / n);
  };

  it('puts the A-lines at multiples of the gas depth, each fainter on the display than the one before', () => {
    const line = ring(0);
    const aLines = [2, 3, 4, 5].map((k) => displayedDb(line.I, line.Q, k * gasSample));
    for (const [k, db] of aLines.entries()) expect(db).toBeGreaterThan(hazeDb(line, 20 * (k + 2) - 4, 20 * (k + 2) - 1) + 6);
    // ×0.45 a bounce (−6.9 dB), ±25 % jitter: always at least 3 dB down from one to the next, after the TGC.
    for (let k = 1; k < aLines.length; k++) expect(aLines[k]!).toBeLessThan(aLines[k - 1]! - 3);
    expect(A_LINE_RATIO).toBeLessThan(1);
  });

  it('decays with depth before the gain, faster than the TGC lifts it: no bright band at depth', () => {
    const line = ring(0);
    const near = hazeDb(line, 21, 25);
    const middle = hazeDb(line, 40, 50);
    const deep = hazeDb(line, 90, 110);
    expect(middle).toBeLessThan(near - 15);
    // Deep in the shadow nothing is left to lift (the haze stops 140 dB below the gas echo).
    expect(Number.isFinite(deep) ? deep : -Infinity).toBeLessThan(near - 40);
  });

  it('is randomised: not identical line to line, nor along the line', () => {
    const a = ring(0);
    const b = ring(1);
    const from = 21 / stepMm;
    const to = 30 / stepMm;
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let s = from; s < to; s++) {
      ab += a.I[s]! * b.I[s]!;
      aa += a.I[s]! ** 2;
      bb += b.I[s]! ** 2;
    }
    expect(Math.abs(ab / Math.sqrt(aa * bb))).toBeLessThan(0.5);
    // Along the line the haze changes sign (it is not a smooth ramp).
    let signChanges = 0;
    for (let s = from + 1; s < to; s++) if (Math.sign(a.I[s]!) !== Math.sign(a.I[s - 1]!)) signChanges++;
    expect(signChanges).toBeGreaterThan(20);
  });

  it('is deterministic for a line and a gas depth, and set in mm: a finer sample step keeps the A-lines where they were', () => {
    expect(Array.from(ring(2).I)).toEqual(Array.from(ring(2).I));
    expect(Array.from(ring(2, 402).I)).not.toEqual(Array.from(ring(2).I));
    const fine = ring(0, 800, 0.025, 4800);
    const coarse = ring(0);
    expect(displayedDb(fine.I, fine.Q, 1600, 0.025)).toBeCloseTo(displayedDb(coarse.I, coarse.Q, 800), 0);
  });

  it('adds nothing without a gas echo', () => {
    const I = new Float32Array(100);
    const Q = new Float32Array(100);
    addDirtyShadow(I, Q, 0, 100, 0, 1, { stepMm: 0.1, frequencyMHz: 5 });
    addDirtyShadow(I, Q, 0, 100, 20, 0, { stepMm: 0.1, frequencyMHz: 5 });
    expect(I.every((v) => v === 0) && Q.every((v) => v === 0)).toBe(true);
  });
});
