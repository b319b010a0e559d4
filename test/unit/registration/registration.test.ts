import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { applyToPoint, compose, fromRotationTranslation, identity, invert, rotationAboutAxis, transformOf } from '../../../src/core/frames/transform';
import { registerPointPairs, rigidFromPointPairs } from '../../../src/core/registration/pairedPointRegistration';
import { expectedFreMm, expectedTreMm } from '../../../src/core/registration/predictedError';
import { findBrightBlobs } from '../../../src/core/registration/findBrightBlobs';
import { matchMarkerBeads } from '../../../src/core/registration/matchMarkerBeads';
import { seededRandom } from '../../../src/core/random/seededRandom';
import { normalize, type Vec3 } from '../../../src/core/geometry/vec3';
import type { CaseFile } from '../../../src/core/cases/caseFile';
import { readCaseVolume } from '../../../scripts/lib/readCaseVolume';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, digits = 9) => Array.from(a).forEach((v, i) => expect(v).toBeCloseTo(b[i]!, digits));
const det3 = (m: Float64Array) => m[0]! * (m[5]! * m[10]! - m[6]! * m[9]!) - m[1]! * (m[4]! * m[10]! - m[6]! * m[8]!) + m[2]! * (m[4]! * m[9]! - m[5]! * m[8]!);

// A pose far from identity with non-trivial origins, reused below.
const referenceToCt = fromRotationTranslation('Reference', 'Ct', rotationAboutAxis(normalize([0.3, -0.5, 0.8]), 1.1), [100, 200, 300]);

describe('frame transforms', () => {
  it('compose applies right to left and inverts exactly', () => {
    const probeToTracker = fromRotationTranslation('Probe', 'Tracker', rotationAboutAxis(normalize([1, 2, 3]), 0.7), [-40, 15, 220]);
    const trackerToReference = fromRotationTranslation('Tracker', 'Reference', rotationAboutAxis([0, 0, 1], -0.4), [12, -300, 5]);
    const imageToProbe = transformOf('Image', 'Probe', [0.2, 0, 0, -25.6, 0, 0.2, 0, 3, 0, 0, 0.2, 0, 0, 0, 0, 1]); // 0.2 mm per pixel
    const imageToCt = compose(referenceToCt, compose(trackerToReference, compose(probeToTracker, imageToProbe)));
    const pixel: Vec3 = [128, 300, 0];
    const stepwise = applyToPoint(referenceToCt, applyToPoint(trackerToReference, applyToPoint(probeToTracker, applyToPoint(imageToProbe, pixel))));
    close(applyToPoint(imageToCt, pixel), stepwise);
    close(applyToPoint(invert(imageToCt), stepwise), pixel);
    close(compose(invert(referenceToCt), referenceToCt).matrix, identity('Reference', 'Reference').matrix);
    expect(imageToCt.from).toBe('Image');
    expect(imageToCt.to).toBe('Ct');
  });

  it('refuses chains whose frames do not meet, and singular inverses', () => {
    const aToB = identity('Probe', 'Tracker');
    // @ts-expect-error — the compiler rejects Probe→Tracker after Probe→Tracker.
    expect(() => compose(aToB, aToB)).toThrow(/Cannot compose/);
    expect(() => invert(transformOf('Image', 'Probe', [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]))).toThrow(/singular/);
  });
});

describe('paired-point registration (Horn)', () => {
  const random = seededRandom(11);
  const points: Vec3[] = Array.from({ length: 6 }, () => [random.next() * 100 - 50, random.next() * 80 - 40, random.next() * 30]);

  it('recovers a known rigid transform exactly from noise-free points', () => {
    const fixed = points.map((p) => applyToPoint(referenceToCt, p));
    const result = rigidFromPointPairs('Reference', 'Ct', points, fixed);
    close(result.matrix, referenceToCt.matrix, 9);
  });

  it('returns a proper rotation even for mirrored points (no reflection)', () => {
    const mirrored = points.map((p) => [-p[0], p[1], p[2]] as Vec3);
    const result = rigidFromPointPairs('Reference', 'Ct', points, mirrored);
    expect(det3(result.matrix)).toBeCloseTo(1, 9);
  });

  it('refuses fewer than 3 pairs, mismatched counts, coincident and collinear points', () => {
    const reason = (moving: Vec3[], fixed: Vec3[]) => {
      const r = registerPointPairs('Stylus', 'Ct', moving, fixed);
      return r.ok ? 'ok' : r.reason;
    };
    expect(reason(points.slice(0, 2), points.slice(0, 2))).toMatch(/at least 3/);
    expect(reason(points.slice(0, 4), points.slice(0, 3))).toMatch(/every fiducial needs both/);
    expect(
      reason(
        [
          [1, 1, 1],
          [1.1, 1, 1],
          [1, 1.1, 1],
        ],
        [
          [1, 1, 1],
          [1.1, 1, 1],
          [1, 1.1, 1],
        ],
      ),
    ).toMatch(/coincide/);
    const line: Vec3[] = [
      [0, 0, 0],
      [10, 10, 10],
      [20, 20, 20],
      [35, 35, 35],
    ];
    expect(reason(line, line)).toMatch(/one line/);
  });

  it('reports residuals and flags a mistouched fiducial through leave-one-out', () => {
    const fixed = points.map((p) => applyToPoint(referenceToCt, p));
    const touched = points.map((p, i) => (i === 3 ? ([p[0] + 8, p[1] - 3, p[2]] as Vec3) : p));
    const result = registerPointPairs('Reference', 'Ct', touched, fixed);
    if (!result.ok) throw new Error(result.reason);
    expect(result.outlierIndex).toBe(3);
    expect(result.residualsMm).toHaveLength(6);
    expect(result.freMm).toBeGreaterThan(1);
    const clean = registerPointPairs('Reference', 'Ct', points, fixed);
    expect(clean.ok && clean.outlierIndex).toBeUndefined();
    expect(clean.ok && clean.freMm).toBeLessThan(1e-9);
  });
});

describe('Fitzpatrick & West predictions', () => {
  it('matches the worked example: 4 markers on a 100 mm square, FLE 1 mm', () => {
    const square: Vec3[] = [
      [-50, -50, 0],
      [50, -50, 0],
      [50, 50, 0],
      [-50, 50, 0],
    ];
    expect(expectedFreMm(4, 1)).toBeCloseTo(0.71, 2);
    expect(expectedTreMm(square, [0, 0, 0], 1)).toBeCloseTo(0.5, 2);
    expect(expectedTreMm(square, [0, 0, -60], 1)).toBeCloseTo(0.7, 1);
    expect(expectedTreMm(square, [0, 0, -100], 1)).toBeCloseTo(0.96, 2);
  });

  it('over 2000 seeded simulated registrations, RMS FRE and TRE are within 10 % of the predictions', () => {
    // The lumbar marker (5 beads) and the L4–L5 disc about 10 cm away; FLE 1 mm RMS (3D).
    const beads: Vec3[] = [
      [-15, -15, 4],
      [15, -15, 4],
      [-15, 15, 4],
      [15, 15, 12],
      [0, 0, 17],
    ];
    const target: Vec3 = [60, 20, -90];
    const fle = 1;
    const sigmaPerAxis = fle / Math.sqrt(3);
    const random = seededRandom(2026);
    let fre2 = 0;
    let tre2 = 0;
    const trials = 2000;
    const trueTarget = applyToPoint(referenceToCt, target);
    for (let trial = 0; trial < trials; trial++) {
      const fixed = beads.map((b) => {
        const p = applyToPoint(referenceToCt, b);
        return [p[0] + sigmaPerAxis * random.gaussian(), p[1] + sigmaPerAxis * random.gaussian(), p[2] + sigmaPerAxis * random.gaussian()] as Vec3;
      });
      const result = registerPointPairs('Reference', 'Ct', beads, fixed);
      if (!result.ok) throw new Error(result.reason);
      fre2 += result.freMm ** 2;
      const estimate = applyToPoint(result.transform, target);
      tre2 += (estimate[0] - trueTarget[0]) ** 2 + (estimate[1] - trueTarget[1]) ** 2 + (estimate[2] - trueTarget[2]) ** 2;
    }
    const rmsFre = Math.sqrt(fre2 / trials);
    const rmsTre = Math.sqrt(tre2 / trials);
    expect(Math.abs(rmsFre / expectedFreMm(beads.length, fle) - 1)).toBeLessThan(0.1);
    expect(Math.abs(rmsTre / expectedTreMm(beads, target, fle) - 1)).toBeLessThan(0.1);
  });
});

describe('automatic registration with the external marker', () => {
  it('finds the lumbar marker beads in the shipped CT and registers them, order unknown', () => {
    const folder = resolve(import.meta.dirname, '../../../sample-dicom/lumbar');
    const caseFile = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile;
    const volume = readCaseVolume(folder);
    const blobs = findBrightBlobs(volume);
    // Five marker beads and four skin markers, nothing else (bone stays below 1500 HU).
    expect(blobs).toHaveLength(9);
    const marker = caseFile.fiducials.marker!;
    const shuffled = [...blobs].reverse().map((b) => b.centreInCt);
    const match = matchMarkerBeads(marker.beadsInMarker, shuffled);
    if ('reason' in match) throw new Error(match.reason);
    if (!match.outcome.ok) throw new Error(match.outcome.reason);
    expect(match.outcome.freMm).toBeLessThan(0.3);
    // The matched beads are the true ones, in the marker's order.
    match.matchedCt.forEach((p, i) => close(p, marker.beadsInCt[i]!, 0));
    // The recovered ReferenceToCt puts the L4–L5 target where it is (no error in the marker geometry).
    const truth = marker.beadsInCt;
    const exact = rigidFromPointPairs('Reference', 'Ct', marker.beadsInMarker, truth);
    const target = caseFile.targets[0]!.centre;
    const viaMatch = applyToPoint(match.outcome.transform, applyToPoint(invert(exact), target));
    expect(Math.hypot(viaMatch[0] - target[0], viaMatch[1] - target[1], viaMatch[2] - target[2])).toBeLessThan(1);
  });

  it('says so when the CT holds fewer blobs than the marker has beads', () => {
    const result = matchMarkerBeads(
      [
        [0, 0, 0],
        [10, 0, 0],
        [0, 10, 0],
        [0, 0, 10],
      ],
      [
        [1, 1, 1],
        [5, 5, 5],
      ],
    );
    expect('reason' in result && result.reason).toMatch(/found 2 bright blobs/);
  });
});
