import { describe, expect, it } from 'vitest';
import { transformOf } from '../../../src/core/frames/transform';
import type { Vec3 } from '../../../src/core/geometry/vec3';
import { PROBE_MODELS, probeAtDepth } from '../../../src/core/tracking/probeModels';
import { alias, colourDoppler, type ColourBox } from '../../../src/core/ultrasound/colorDoppler';
import { arterialCentrelineCmS, cardiacPhase, caseDopplerVessels, type DopplerVessel } from '../../../src/core/ultrasound/colorDopplerFlow';
import type { CaseFile } from '../../../src/core/cases/caseFile';

const linear = PROBE_MODELS['linear-7.5'];
const s = linear.mmPerPixel;
/** The linear probe's face centre at the Ct origin, beam along +y (Ct), array along +x. */
const imageToCt = transformOf('Image', 'Ct', [s, 0, 0, -((linear.columns - 1) / 2) * s, 0, s, 0, 0, 0, 0, s, 0, 0, 0, 0, 1]);
const box: ColourBox = { lateralFrom: 0.2, lateralTo: 0.8, depthFromMm: 10, depthToMm: 30 };
const WIDE = { scaleCmS: 500, wallFilterCmS: 1 };
const DEPTH_MM = 20;

/** A straight vessel through (0, 20, 0) whose points run along `direction` (in the image plane x–y unless z given). */
function vessel(kind: 'artery' | 'vein', angleFromBeamDeg: number, radiusMm = 3, outOfPlane = 0): DopplerVessel {
  const a = (angleFromBeamDeg * Math.PI) / 180;
  const u: Vec3 = [Math.sin(a), Math.cos(a), outOfPlane];
  const p = (t: number): Vec3 => [u[0] * t, DEPTH_MM + u[1] * t, u[2] * t];
  return { id: kind, name: kind, kind, points: [p(-60), p(60)], radiusMm, ...(kind === 'artery' ? { pulsation: { beatsPerMinute: 60, radiusChangeMm: 0 } } : {}) };
}

/** The measured velocity at the image pixel of Ct (x, y) in the plane z = 0. */
function at(frame: ReturnType<typeof colourDoppler>, xMm: number, yMm: number): number {
  const c = Math.round(xMm / s + (linear.columns - 1) / 2) - frame.column0;
  const r = Math.round(yMm / s) - frame.row0;
  return frame.velocityCmS[r * frame.columns + c]!;
}

const finite = (frame: ReturnType<typeof colourDoppler>) => Array.from(frame.velocityCmS).filter(Number.isFinite);
/** Time (ms) of a cardiac phase at 60 beats/min. */
const timeOfPhase = (phase: number) => ((phase - 0.7 + 2) % 1) * 1000;
/** The vein's velocity is its mean (15 cm/s) at t = 0 (the breathing swing crosses zero). */
const VEIN_T0 = 0;

describe('colour Doppler', () => {
  it('colours by direction: flow towards the probe is positive (red), away negative (blue)', () => {
    // A vein flows against its points: points running down-going (+y, deeper) mean flow towards the probe.
    const towards = colourDoppler(linear, imageToCt, box, [vessel('vein', 30)], VEIN_T0, WIDE);
    const away = colourDoppler(linear, imageToCt, box, [vessel('vein', 180 + 30)], VEIN_T0, WIDE);
    expect(at(towards, 0, DEPTH_MM)).toBeGreaterThan(5);
    expect(at(away, 0, DEPTH_MM)).toBeLessThan(-5);
    expect(finite(towards).every((v) => v > 0)).toBe(true);
    expect(finite(away).every((v) => v < 0)).toBe(true);
  });

  it('measures v·cos(angle to the beam): 15 cm/s at 0°, 13.0 at 30°, 7.5 at 60°, and nothing at 90°', () => {
    const centre = (angle: number) => at(colourDoppler(linear, imageToCt, box, [vessel('vein', angle)], VEIN_T0, WIDE), 0, DEPTH_MM);
    expect(centre(0)).toBeCloseTo(15, 1);
    expect(centre(30)).toBeCloseTo(15 * Math.cos(Math.PI / 6), 1);
    expect(centre(60)).toBeCloseTo(7.5, 1);
    const perpendicular = colourDoppler(linear, imageToCt, box, [vessel('vein', 90)], VEIN_T0, WIDE);
    expect(perpendicular.lumenPixels.get('vein')).toBeGreaterThan(1000);
    expect(finite(perpendicular)).toHaveLength(0);
  });

  it('has a parabolic profile: half the lumen radius out, 3/4 of the centreline velocity; the wall filter blanks the slow rim', () => {
    const frame = colourDoppler(linear, imageToCt, box, [vessel('vein', 0, 4)], VEIN_T0, { scaleCmS: 500, wallFilterCmS: 3 });
    expect(at(frame, 2, DEPTH_MM) / at(frame, 0, DEPTH_MM)).toBeCloseTo(0.75, 1);
    // Along the beam the lumen is 8 mm wide (columns −4…4 mm); v < 3 cm/s (of 15) within ρ > 0.894 R: about 11 % of the width without colour.
    const coloured = finite(frame).length;
    const lumen = frame.lumenPixels.get('vein')!;
    expect(coloured / lumen).toBeGreaterThan(0.8);
    expect(coloured / lumen).toBeLessThan(0.95);
  });

  it('arteries pulsate: a systolic peak near 95 cm/s, brief reverse flow in early diastole, none late in diastole', () => {
    const artery = vessel('artery', 180); // points up towards the face: flow (along the points) towards the probe
    const centre = (phase: number) => at(colourDoppler(linear, imageToCt, box, [artery], timeOfPhase(phase), WIDE), 0, DEPTH_MM);
    expect(cardiacPhase(timeOfPhase(0.15), 60)).toBeCloseTo(0.15, 9);
    const systolic = centre(0.15);
    const reverse = centre(0.32);
    expect(systolic).toBeGreaterThan(80);
    expect(systolic).toBeLessThan(100);
    expect(reverse).toBeLessThan(-15);
    expect(Number.isNaN(centre(0.8))).toBe(true);
    // The waveform itself: one forward peak, reverse flow, a small forward wave.
    expect(arterialCentrelineCmS(0.48)).toBeGreaterThan(8);
    expect(Math.max(...Array.from({ length: 100 }, (_, i) => arterialCentrelineCmS(i / 100)))).toBeLessThan(100);
  });

  it('veins are phasic: 10–20 cm/s with breathing, never reversed', () => {
    const values = Array.from({ length: 40 }, (_, i) => at(colourDoppler(linear, imageToCt, box, [vessel('vein', 0)], i * 100, WIDE), 0, DEPTH_MM));
    expect(Math.min(...values)).toBeGreaterThan(9.9);
    expect(Math.max(...values)).toBeLessThan(20.1);
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(8);
  });

  it('aliases above the velocity scale: 95 cm/s towards the probe on a ±40 scale shows as 95 − 80 = 15', () => {
    const artery = vessel('artery', 180);
    const t = timeOfPhase(0.15);
    const wide = at(colourDoppler(linear, imageToCt, box, [artery], t, WIDE), 0, DEPTH_MM);
    const narrow = colourDoppler(linear, imageToCt, box, [artery], t, { scaleCmS: 40, wallFilterCmS: 3 });
    expect(at(narrow, 0, DEPTH_MM)).toBeCloseTo(alias(wide, 40), 3);
    expect(at(narrow, 0, DEPTH_MM)).toBeCloseTo(wide - 80, 3);
    expect(finite(narrow).every((v) => Math.abs(v) <= 40)).toBe(true);
    // Aliasing puts away-coloured pixels inside a vessel flowing towards the probe.
    expect(finite(narrow).some((v) => v < 0)).toBe(true);
    expect(alias(30, 40)).toBe(30);
    expect(alias(-50, 40)).toBe(30);
  });

  it('colours only inside the box, and the box follows the re-gridded image', () => {
    const deep = probeAtDepth(linear, 80);
    const deepToCt = transformOf('Image', 'Ct', [
      deep.mmPerPixel,
      0,
      0,
      -((deep.columns - 1) / 2) * deep.mmPerPixel,
      0,
      deep.mmPerPixel,
      0,
      0,
      0,
      0,
      deep.mmPerPixel,
      0,
      0,
      0,
      0,
      1,
    ]);
    const shallowBox: ColourBox = { lateralFrom: 0.2, lateralTo: 0.8, depthFromMm: 30, depthToMm: 40 };
    const frame = colourDoppler(deep, deepToCt, shallowBox, [vessel('vein', 0)], VEIN_T0, WIDE);
    // The vessel crosses 10…30 mm of depth inside the box's lateral range, but only 30…40 mm is in the box.
    expect(frame.row0 * deep.mmPerPixel).toBeGreaterThan(29);
    expect((frame.row0 + frame.rows) * deep.mmPerPixel).toBeLessThan(41);
    expect(finite(frame).length).toBeGreaterThan(100);
  });

  it('refuses a box or scale that makes no sense, saying why', () => {
    expect(() => colourDoppler(linear, imageToCt, { ...box, lateralTo: 0.1 }, [], 0)).toThrow(/lateral edges/);
    expect(() => colourDoppler(linear, imageToCt, box, [], 0, { scaleCmS: 10, wallFilterCmS: 20 })).toThrow(/wall filter/);
  });

  it('finds the case vessels: blood-filled tubes, arteries by their pulsation, veins otherwise', () => {
    const tube = (id: string, kind: 'artery' | 'vein' | 'nerve', acoustic?: object) => ({
      id,
      name: id,
      kind,
      shape: {
        type: 'tube',
        points: [
          [0, 0, 0],
          [0, 0, -10],
        ],
        radiusMm: 4,
      },
      ...(acoustic ? { acoustic } : {}),
    });
    const caseFile = {
      avoid: [tube('a', 'artery', { medium: 'blood', pulsation: { beatsPerMinute: 70, radiusChangeMm: 0.4 } }), tube('v', 'vein', { medium: 'blood' }), tube('n', 'nerve')],
    } as unknown as CaseFile;
    expect(caseDopplerVessels(caseFile).map((v) => `${v.id}:${v.kind}`)).toEqual(['a:artery', 'v:vein']);
  });
});

describe('colour Doppler behind bone', () => {
  // Soft tissue below the skin at y = −30 (air above: the face at y = −38 sits in gel), a bone plate at y −20…−17 over x < 0.
  const n = 81;
  const hu = new Int16Array(n * n * n);
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const x = i - 40;
        const y = j - 40;
        hu[i + j * n + k * n * n] = y < -30 ? -1000 : x < 0 && y >= -20 && y <= -17 ? 1200 : 40;
      }
  const volume = {
    geometry: {
      dimensions: [n, n, n] as [number, number, number],
      spacingMm: [1, 1, 1] as [number, number, number],
      originInCt: [-40, -40, -40] as [number, number, number],
      axesInCt: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ] as [[number, number, number], [number, number, number], [number, number, number]],
    },
    huVoxels: hu,
    seriesInstanceUid: '',
    seriesDescription: '',
    warnings: [],
  };
  const faceToCt = transformOf('Image', 'Ct', [s, 0, 0, -((linear.columns - 1) / 2) * s, 0, s, 0, -38, 0, 0, s, 0, 0, 0, 0, 1]);
  /** A vein through (x, 0, 0), 30° to the beam. */
  const tube = (id: string, x: number): DopplerVessel => ({
    id,
    name: id,
    kind: 'vein',
    points: [
      [x - 30, 30 * Math.sqrt(3), 0],
      [x + 30, -30 * Math.sqrt(3), 0],
    ],
    radiusMm: 3,
  });

  it('shows no colour in a bone shadow, and colour beside it', async () => {
    const { shadowTest } = await import('../../../src/core/ultrasound/colorDopplerShadow');
    const wide: ColourBox = { lateralFrom: 0, lateralTo: 1, depthFromMm: 30, depthToMm: 46 };
    const vessels = [tube('behind', -10), tube('clear', 10)];
    const plain = colourDoppler(linear, faceToCt, wide, vessels, VEIN_T0, WIDE);
    const shadowed = colourDoppler(linear, faceToCt, wide, vessels, VEIN_T0, WIDE, shadowTest(volume as never));
    const colourLeftRight = (frame: ReturnType<typeof colourDoppler>) => {
      let left = 0;
      let right = 0;
      for (let r = 0; r < frame.rows; r++)
        for (let c = 0; c < frame.columns; c++) {
          if (!Number.isFinite(frame.velocityCmS[r * frame.columns + c]!)) continue;
          if ((frame.column0 + c - (linear.columns - 1) / 2) * s < -2) left++;
          else if ((frame.column0 + c - (linear.columns - 1) / 2) * s > 2) right++;
        }
      return { left, right };
    };
    const before = colourLeftRight(plain);
    const after = colourLeftRight(shadowed);
    expect(before.left).toBeGreaterThan(500);
    expect(before.right).toBeGreaterThan(500);
    expect(after.left).toBe(0);
    // Beside the plate the skin's air above (gel) is no shadow.
    expect(after.right).toBe(before.right);
  });
});
