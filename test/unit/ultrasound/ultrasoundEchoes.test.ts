import { describe, expect, it } from 'vitest';
import { tissueBlock, probeOnBlock } from '../fixtures/tissueBlocks';
import { defaultUltrasoundSettings, synthesizeUltrasound } from '../../../src/core/ultrasound/synthesizeUltrasound';
import { PROBE_MODELS } from '../../../src/core/tracking/probeModels';
import { axialPsfFwhmMm } from '../../../src/core/ultrasound/ultrasoundSettings';
import type { UltrasoundSettings } from '../../../src/core/ultrasound/ultrasoundSettings';
import type { CtVolume } from '../../../src/core/volume/ctVolume';

const linear = PROBE_MODELS['linear-7.5'];
const curvilinear = PROBE_MODELS['curvilinear-3.5'];
/** Mean power (dB) of the envelope over lines [l0, l1) and depths [fromMm, toMm). */
function meanPowerDb(frame: { lineDb: Float32Array; samples: number }, depthMm: number, l0: number, l1: number, fromMm: number, toMm: number): number {
  const step = depthMm / frame.samples;
  let sum = 0;
  let n = 0;
  for (let l = l0; l < l1; l++)
    for (let s = Math.round(fromMm / step); s < Math.round(toMm / step); s++) {
      sum += 10 ** (frame.lineDb[l * frame.samples + s]! / 10);
      n++;
    }
  return 10 * Math.log10(sum / n);
}
const scan = (volume: CtVolume, model = linear, settings: Partial<UltrasoundSettings> = {}, elevationMm = 0) => {
  const full = { ...defaultUltrasoundSettings(model), depthMm: 40, ...settings };
  return { frame: synthesizeUltrasound(volume, probeOnBlock(model, { elevationMm }), model, full), settings: full };
};

describe('CT noise does not make echoes', () => {
  it('puts a fat/muscle interface echo in one PSF: −6 dB thickness ≤ max(1.5 × axial PSF, 0.4 mm), thinner at 12 than at 7.5 MHz (CT noise 12 HU)', () => {
    // Fat above y = −25 (13 mm under the face), muscle below.
    const block = tissueBlock((_x, y) => (y < -25 ? -100 : 50), { noiseHu: 12 });
    const thickness = (f: number) => {
      const { frame } = scan(block, linear, { frequencyMHz: f });
      const n = frame.samples;
      const step = 40 / n;
      const widths: number[] = [];
      for (let l = 20; l < 236; l++) {
        let peak = Math.round(11 / step);
        for (let s = peak; s < 15 / step; s++) if (frame.lineDb[l * n + s]! > frame.lineDb[l * n + peak]!) peak = s;
        const top = frame.lineDb[l * n + peak]!;
        let a = peak;
        let b = peak;
        while (frame.lineDb[l * n + a - 1]! > top - 6) a--;
        while (frame.lineDb[l * n + b + 1]! > top - 6) b++;
        widths.push((b - a + 1) * step);
      }
      widths.sort((x, y) => x - y);
      return widths[widths.length >> 1]!;
    };
    const at75 = thickness(7.5);
    const at12 = thickness(12);
    expect(at75).toBeLessThanOrEqual(Math.max(1.5 * axialPsfFwhmMm(7.5), 0.4));
    expect(at12).toBeLessThanOrEqual(Math.max(1.5 * axialPsfFwhmMm(12), 0.4));
    expect(at12).toBeLessThan(at75);
  });

  it('makes a specular echo fall with the angle of incidence: 0° > 30° > 60°, 60° at least 15 dB under 0°', () => {
    // Between two anechoic fluids (0 and 18 HU: Z 1.50 and 1.56 MRayl), so no speckle hides the echo.
    const echoAt = (degrees: number) => {
      const a = (degrees * Math.PI) / 180;
      const block = tissueBlock((x, y) => ((y + 20) * Math.cos(a) - x * Math.sin(a) < 0 ? 0 : 18), { voxelMm: 0.5 });
      const { frame } = scan(block);
      const step = 40 / frame.samples;
      // Mean power of the echo where each line meets the interface (y = x·tan a − 20; the face at y = −38).
      let sum = 0;
      let n = 0;
      for (let l = 100; l < 156; l++) {
        const x = -linear.footprintWidthMm / 2 + ((l + 0.5) / 256) * linear.footprintWidthMm;
        const at = Math.round((x * Math.tan(a) - 20 + 38) / step);
        let best = -Infinity;
        for (let s = at - 3; s <= at + 3; s++) best = Math.max(best, frame.lineDb[l * frame.samples + s]!);
        sum += 10 ** (best / 10);
        n++;
      }
      return 10 * Math.log10(sum / n);
    };
    const [e0, e30, e60] = [echoAt(0), echoAt(30), echoAt(60)];
    expect(e0).toBeGreaterThan(e30);
    expect(e30).toBeGreaterThan(e60);
    expect(e0 - e60).toBeGreaterThanOrEqual(15);
  });

  it('gives muscle with 13 HU of CT noise the mean power of noise-free muscle (± 1 dB), and mottles neither', () => {
    const quiet = tissueBlock(() => 50);
    const noisy = tissueBlock(() => 50, { noiseHu: 13, seed: 7 });
    const power = (volume: CtVolume) => meanPowerDb(scan(volume, linear, {}, 3.3).frame, 40, 40, 216, 8, 32);
    expect(Math.abs(power(noisy) - power(quiet))).toBeLessThanOrEqual(1);
  });
});

describe('anechoic fluid, the receiver noise floor and the TGC ceiling', () => {
  it('keeps a 16 mm fluid column ≥ 30 dB under muscle down to 14 cm at 3.5 MHz, with posterior enhancement behind it', () => {
    // Muscle with a fluid column 16 mm wide (|x| < 8) from 2 cm to 14.5 cm under the face (at y = −60).
    const block = tissueBlock((x, y) => (Math.abs(x) < 8 && y > -40 && y < 85 ? 8 : 50), { halfMm: 100, voxelMm: 1, noiseHu: 12 });
    const model = curvilinear;
    const depth = 160;
    const settings = { ...defaultUltrasoundSettings(model), depthMm: depth };
    const frame = synthesizeUltrasound(block, probeOnBlock(model, { faceY: -60 }), model, settings);
    // Lines through the column's centre (±3 mm at depth) and through muscle 20–40 mm beside it.
    const lineAt = (xMm: number, depthMm: number) => Math.round(((Math.atan2(xMm, depthMm + model.radiusMm) * 180) / Math.PI / model.sectorDeg + 0.5) * settings.lines - 0.5);
    const level = (x0: number, x1: number, depthMm: number) => meanPowerDb(frame, depth, lineAt(x0, depthMm), lineAt(x1, depthMm) + 1, depthMm - 2, depthMm + 2);
    for (const depthMm of [30, 60, 90, 120, 140]) {
      expect(level(20, 40, depthMm) - level(-3, 3, depthMm), `at ${depthMm} mm`).toBeGreaterThanOrEqual(30);
    }
    // Behind the column (it ends 145 mm deep) the muscle is brighter than beside it: the fluid hardly attenuates.
    expect(level(-3, 3, 152) - level(20, 40, 152)).toBeGreaterThan(3);
  });

  it('shows a bone shadow at 5 MHz and 15 cm as faint noise, never a grey ramp: no pixel above 60, non-zero spread, rising with the gain', () => {
    // Muscle, then bone from 3 cm under the face.
    const block = tissueBlock((_x, y) => (y < -10 ? 50 : 1200), { halfMm: 100, voxelMm: 1, noiseHu: 12 });
    const model = curvilinear;
    const base = { ...defaultUltrasoundSettings(model), depthMm: 150, frequencyMHz: 5 };
    const shadow = (gainDb: number) => {
      const frame = synthesizeUltrasound(block, probeOnBlock(model, { faceY: -40 }), model, { ...base, gainDb }, undefined, { regions: [], timeMs: 1234 });
      const values: number[] = [];
      for (let r = 0; r < model.rows; r++)
        for (let c = 0; c < model.columns; c++) {
          // Pixels more than 5 mm under the bone surface (depth > 35 mm from the face) in the sector.
          const x = (c - (model.columns - 1) / 2) * model.mmPerPixel;
          const y = r * model.mmPerPixel;
          const depth = Math.hypot(x, y + model.radiusMm) - model.radiusMm;
          const theta = Math.atan2(x, y + model.radiusMm);
          const inSector = Math.abs(theta) < ((model.sectorDeg / 2 - 3) * Math.PI) / 180;
          // The bone surface (y = −10: 30 mm under the face centre) along this beam.
          const boneDepth = (30 + model.radiusMm) / Math.cos(theta) - model.radiusMm;
          if (inSector && depth > boneDepth + 5 && depth < 148) values.push(frame.image[r * model.columns + c]!);
        }
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
      return { max: Math.max(...values), mean, sd };
    };
    const atDefault = shadow(base.gainDb);
    expect(atDefault.max).toBeLessThanOrEqual(60);
    expect(atDefault.sd).toBeGreaterThan(0);
    const louder = shadow(base.gainDb + 15);
    expect(louder.mean).toBeGreaterThan(atDefault.mean);
  });
});
