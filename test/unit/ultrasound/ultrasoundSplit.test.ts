import { describe, expect, it } from 'vitest';
import { tissueBlock, probeOnBlock } from '../fixtures/tissueBlocks';
import { defaultUltrasoundSettings, synthesizeLineDb, synthesizeUltrasound } from '../../../src/core/ultrasound/synthesizeUltrasound';
import { PROBE_MODELS } from '../../../src/core/tracking/probeModels';

describe('a frame split between workers', () => {
  it('joins into exactly the frame computed whole (lateral PSF halo, receiver noise, gas ring-down, needle)', () => {
    // Fat over muscle over bone, a gas pocket and a blood vessel, a needle in plane.
    const block = tissueBlock((_x, y) => (y < -30 ? -100 : y < 5 ? 50 : 1200), { noiseHu: 10 });
    const model = PROBE_MODELS['linear-7.5'];
    const settings = { ...defaultUltrasoundSettings(model), depthMm: 40 };
    const imageToCt = probeOnBlock(model);
    const needle = { tip: [4, -15, 0] as [number, number, number], hub: [-60, -40, 0] as [number, number, number], diameterMm: 0.72 };
    const media = {
      regions: [
        { medium: 'gas' as const, shape: { type: 'sphere' as const, centre: [-8, -20, 0] as [number, number, number], radiusMm: 3 } },
        {
          medium: 'blood' as const,
          shape: {
            type: 'tube' as const,
            points: [
              [10, -12, -30],
              [10, -12, 30],
            ] as [number, number, number][],
            radiusMm: 3,
          },
        },
      ],
      timeMs: 4321,
    };
    const whole = synthesizeUltrasound(block, imageToCt, model, settings, needle, media);
    const parts = [
      [0, 100],
      [100, 256],
    ].map(([from, to]) => synthesizeLineDb(block, imageToCt, model, settings, from!, to!, needle, media));
    const joined = new Float32Array(whole.lineDb.length);
    joined.set(parts[0]!.db, 0);
    joined.set(parts[1]!.db, 100 * whole.samples);
    expect(Array.from(joined)).toEqual(Array.from(whole.lineDb));
  });
});
