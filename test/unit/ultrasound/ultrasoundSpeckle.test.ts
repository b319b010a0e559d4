import { describe, expect, it } from 'vitest';
import { tissueBlock, probeOnBlock } from '../fixtures/tissueBlocks';
import { autocovarianceWidth, correlation, envelopeSnr, normalisedIntensity } from '../fixtures/speckleStatistics';
import { defaultUltrasoundSettings, synthesizeUltrasound } from '../../../src/core/ultrasound/synthesizeUltrasound';
import { PROBE_MODELS, type ProbeModel } from '../../../src/core/tracking/probeModels';
import { axialPsfFwhmMm } from '../../../src/core/ultrasound/ultrasoundSettings';
import { lineSpacingMm } from '../../../src/core/ultrasound/scanGeometry';
import { predictedElevationCorrelation } from '../../../src/core/ultrasound/elevationBeam';

/**
 * Speckle statistics on texture-free uniform tissue (HU 50, no CT noise), measured on the line ×
 * sample envelope before scan conversion, each statistic averaged over seeded patches (the probe
 * moved out of plane between patches: independent scatterers).
 */
const block = tissueBlock(() => 50, { halfMm: 40, voxelMm: 1 });
const lateralPsfFwhmAtFocusMm = (f: number) => 1.2 * (1.54 / f) * 2.5;
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

function speckleAtFocus(model: ProbeModel, frequencyMHz: number, patches = 6) {
  const depthMm = model.type === 'linear' ? 40 : 60;
  const settings = { ...defaultUltrasoundSettings(model), frequencyMHz, depthMm, focusDepthMm: depthMm / 2, texture: false };
  const snr: number[] = [];
  const axial: number[] = [];
  const lateral: number[] = [];
  let stepMm = 0;
  for (let patch = 0; patch < patches; patch++) {
    const frame = synthesizeUltrasound(block, probeOnBlock(model, { elevationMm: -15 + patch * 6 }), model, settings);
    stepMm = depthMm / frame.samples;
    const focus = Math.round(settings.focusDepthMm / stepMm);
    const half = Math.round(3 / stepMm);
    const rows = normalisedIntensity(frame.lineDb, frame.samples, { l0: 64, l1: 192, s0: focus - half, s1: focus + half });
    snr.push(envelopeSnr(rows));
    axial.push(autocovarianceWidth(rows, 'axial') * stepMm);
    lateral.push(autocovarianceWidth(rows, 'lateral') * lineSpacingMm(model, settings.lines, settings.focusDepthMm));
  }
  return { snr: mean(snr), axialMm: mean(axial), lateralMm: mean(lateral), stepMm };
}

describe('speckle from scatterers, fully developed, sized by the PSF', () => {
  const cases = [
    { model: PROBE_MODELS['curvilinear-3.5'], f: 3.5 },
    { model: PROBE_MODELS['linear-7.5'], f: 7.5 },
    { model: PROBE_MODELS['linear-7.5'], f: 12 },
  ];
  const measured = new Map<number, ReturnType<typeof speckleAtFocus>>();
  for (const { model, f } of cases) {
    it(`${f} MHz: Rayleigh envelope (SNR 1.91 ± 0.15), grain = the PSF's FWHM ± 25 % axially and laterally at the focus`, () => {
      const stats = speckleAtFocus(model, f);
      measured.set(f, stats);
      // The sample step is at most a third of the axial PSF width.
      expect(stats.stepMm).toBeLessThanOrEqual(axialPsfFwhmMm(f) / 3 + 1e-9);
      expect(Math.abs(stats.snr - 1.91)).toBeLessThanOrEqual(0.15);
      expect(stats.axialMm / axialPsfFwhmMm(f)).toBeGreaterThan(0.75);
      expect(stats.axialMm / axialPsfFwhmMm(f)).toBeLessThan(1.25);
      expect(stats.lateralMm / lateralPsfFwhmAtFocusMm(f)).toBeGreaterThan(0.75);
      expect(stats.lateralMm / lateralPsfFwhmAtFocusMm(f)).toBeLessThan(1.25);
    });
  }
  it('12 MHz against 7.5 MHz: the axial grain shrinks as the PSF does (ratio within 10 %), so the scatterer field does not set it', () => {
    const high = measured.get(12) ?? speckleAtFocus(PROBE_MODELS['linear-7.5'], 12);
    const low = measured.get(7.5) ?? speckleAtFocus(PROBE_MODELS['linear-7.5'], 7.5);
    const modelRatio = axialPsfFwhmMm(12) / axialPsfFwhmMm(7.5);
    expect(Math.abs(high.axialMm / low.axialMm / modelRatio - 1)).toBeLessThan(0.1);
  });
});

describe('the elevation beam', () => {
  for (const model of [PROBE_MODELS['linear-7.5'], PROBE_MODELS['curvilinear-3.5']]) {
    it(`${model.name}: the speckle's correlation after moving 0.2, 0.6 and 1.2 mm out of plane follows the beam profiles' overlap (± 0.1)`, () => {
      const depthMm = model.type === 'linear' ? 40 : 60;
      const settings = { ...defaultUltrasoundSettings(model), depthMm, focusDepthMm: depthMm / 2, texture: false };
      const intensity = (elevationMm: number) => {
        const frame = synthesizeUltrasound(block, probeOnBlock(model, { elevationMm }), model, settings);
        const n = frame.samples;
        return normalisedIntensity(frame.lineDb, n, { l0: 40, l1: 216, s0: Math.round(n * 0.2), s1: Math.round(n * 0.8) }).flatMap((row) => Array.from(row));
      };
      for (const shiftMm of [0.2, 0.6, 1.2]) {
        const values: number[] = [];
        // Four seeded start planes, none on a node plane (offsets not multiples of the node spacing).
        for (let trial = 0; trial < 4; trial++) {
          const start = -10 + trial * 5.13;
          values.push(correlation(intensity(start), intensity(start + shiftMm)));
        }
        expect(Math.abs(mean(values) - predictedElevationCorrelation(model, shiftMm))).toBeLessThanOrEqual(0.1);
      }
    });
  }

  it('moves the speckle with the tissue when the probe slides in plane (correlation > 0.8 at the shift, < 0.3 without)', () => {
    const model = PROBE_MODELS['linear-7.5'];
    const settings = { ...defaultUltrasoundSettings(model), depthMm: 40, texture: false };
    const a = synthesizeUltrasound(block, probeOnBlock(model), model, settings).image;
    const b = synthesizeUltrasound(block, probeOnBlock(model, { slideMm: 1 }), model, settings).image;
    const shift = Math.round(1 / model.mmPerPixel);
    const pairs = (offset: number) => {
      const xs: number[] = [];
      const ys: number[] = [];
      for (let r = 100; r < 300; r += 2)
        for (let c = 120; c < 260; c++) {
          xs.push(a[r * model.columns + c + offset]!);
          ys.push(b[r * model.columns + c]!);
        }
      return correlation(xs, ys);
    };
    expect(pairs(shift)).toBeGreaterThan(0.8);
    expect(pairs(0)).toBeLessThan(0.3);
  });
});
