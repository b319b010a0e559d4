import { describe, expect, it } from 'vitest';
import { probeOnBlock, tissueBlock } from '../fixtures/tissueBlocks';
import { defaultUltrasoundSettings, synthesizeUltrasound } from '../../../src/core/ultrasound/synthesizeUltrasound';
import { PROBE_MODELS, type ProbeModel } from '../../../src/core/tracking/probeModels';
import type { AcousticRegionSpec } from '../../../src/core/ultrasound/acousticRegions';

/**
 * Named interfaces at default settings, in dB above the muscle's median echo (issue 11, item 5;
 * the values are documented in docs/ultrasound-model.md). Each is a layer 12 mm under the face of
 * a block of muscle (50 HU, CT noise 10 HU), perpendicular to the beam; the interface's level is
 * the median over lines of each line's brightest sample within ±1 mm of it.
 */
function interfaceAboveMuscleDb(model: ProbeModel, huAt: (y: number) => number, regions: AcousticRegionSpec[] = []): number {
  const depthMm = 40;
  const settings = { ...defaultUltrasoundSettings(model), depthMm, focusDepthMm: 15 };
  const scan = (hu: (y: number) => number, withRegions: AcousticRegionSpec[]) =>
    synthesizeUltrasound(
      tissueBlock((_x, y) => hu(y), { noiseHu: 10, halfMm: 50 }),
      probeOnBlock(model, { faceY: -38 }),
      model,
      settings,
      undefined,
      { regions: withRegions, timeMs: 0 },
    );
  const frame = scan(huAt, regions);
  // The muscle's median at the same depths (11–13 mm), from a block of muscle alone.
  const muscleFrame = scan(() => 50, []);
  const step = depthMm / frame.samples;
  const peaks: number[] = [];
  const muscle: number[] = [];
  for (let l = 30; l < 226; l++) {
    let best = -Infinity;
    for (let s = Math.round(11 / step); s <= Math.round(13 / step); s++) {
      best = Math.max(best, frame.lineDb[l * frame.samples + s]!);
      muscle.push(muscleFrame.lineDb[l * frame.samples + s]!);
    }
    peaks.push(best);
  }
  const median = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1]!;
  return median(peaks) - median(muscle);
}

const linear = PROBE_MODELS['linear-7.5'];
const curvilinear = PROBE_MODELS['curvilinear-3.5'];
// The face at y = −38: 12 mm deep is y = −26.
const at12 =
  (above: number, layer: number, thicknessMm: number, below = 50) =>
  (y: number) =>
    y < -26 ? above : y < -26 + thicknessMm ? layer : below;

describe('named interfaces, dB above the muscle median at default settings', () => {
  it('fat over muscle (subcutaneous fat / muscle): +36 to +46 dB (7.5 MHz; measured 41)', () => {
    const db = interfaceAboveMuscleDb(linear, (y) => (y < -26 ? -100 : 50));
    expect(db).toBeGreaterThanOrEqual(36);
    expect(db).toBeLessThanOrEqual(46);
  });
  it('muscle fascia (a 1 mm fatty intermuscular septum): +28 to +38 dB (7.5 MHz; measured 33)', () => {
    const db = interfaceAboveMuscleDb(linear, at12(50, -100, 1));
    expect(db).toBeGreaterThanOrEqual(28);
    expect(db).toBeLessThanOrEqual(38);
  });
  it('ligamentum flavum over epidural fat (the posterior complex): +14 to +24 dB (3.5 MHz; measured 19)', () => {
    // Muscle, then 4 mm of ligamentum flavum (80 HU), then epidural fat.
    const db = interfaceAboveMuscleDb(curvilinear, (y) => (y < -30 ? 50 : y < -26 ? 80 : y < -24 ? -100 : 8));
    expect(db).toBeGreaterThanOrEqual(14);
    expect(db).toBeLessThanOrEqual(24);
  });
  it('hip capsule on the femoral neck (fibrillar capsule over a synovial film over bone): the capsule band +10 to +20 dB (7.5 MHz; measured 15)', () => {
    // Muscle, then 3 mm of capsule (70 HU, fibres across the beam), a 0.5 mm synovial film, then bone 15.5 mm deep.
    const capsule: AcousticRegionSpec = { medium: 'capsule', fibreAxis: [0, 0, 1], shape: { type: 'sphere', centre: [0, -24.5, 0], radiusMm: 1.5 } };
    const db = interfaceAboveMuscleDb(linear, (y) => (y < -27 ? 50 : y < -24 ? 70 : y < -23.5 ? 10 : 1200), [
      {
        ...capsule,
        shape: {
          type: 'tube',
          points: [
            [-60, -25.5, 0],
            [60, -25.5, 0],
          ],
          radiusMm: 60,
        },
      },
    ]);
    expect(db).toBeGreaterThanOrEqual(10);
    expect(db).toBeLessThanOrEqual(20);
  });
});
