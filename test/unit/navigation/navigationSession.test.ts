import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { NavigationSession } from '../../../src/core/navigation/navigationSession';
import { moveProbe, probeAxesInCt } from '../../../src/core/navigation/probeMotion';
import { applyToPoint } from '../../../src/core/frames/transform';
import { faceCentreInProbe } from '../../../src/core/tracking/probeModels';
import { huAtCtPoint } from '../../../src/core/volume/ctVolume';
import type { CaseFile } from '../../../src/core/cases/caseFile';
import { readCaseVolume } from '../../../scripts/lib/readCaseVolume';
import { DEFAULT_TRACKER_SETTINGS } from '../../../src/core/tracking/trackerSettings';

for (const id of ['lumbar', 'hip']) {
  describe(`navigation session on the ${id} phantom`, () => {
    const folder = resolve(import.meta.dirname, '../../../sample-dicom', id);
    const caseFile = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile;
    const volume = readCaseVolume(folder);

    it('places the probe on the skin over the target, registers with the marker, and fuses within a few mm', () => {
      const session = new NavigationSession(volume, caseFile, 7);
      expect(session.fusedImageToCt(0).status).toBe('unregistered');
      expect(session.placeProbeOverTarget(0)).toBe(true);
      const face = applyToPoint(session.probe()!, faceCentreInProbe(session.probeModel));
      // The face sits on the skin: air just outside, tissue just inside.
      const { depth } = probeAxesInCt(session.probe()!);
      expect(huAtCtPoint(volume, [face[0] - depth[0] * 2, face[1] - depth[1] * 2, face[2] - depth[2] * 2])).toBeLessThan(-600);
      expect(huAtCtPoint(volume, [face[0] + depth[0] * 3, face[1] + depth[1] * 3, face[2] + depth[2] * 3])).toBeGreaterThan(-200);

      const summary = session.registerWithMarker();
      if ('reason' in summary) throw new Error(summary.reason);
      expect(summary.freMm).toBeLessThan(0.5);
      expect(summary.trueTreMm).toBeLessThan(1.5);
      expect(summary.predictedTreMm).toBeGreaterThan(0);

      const fused = session.fusedImageToCt(500);
      expect(fused.status).toBe('ok');
      const truth = session.trueImageToCt()!;
      const pixel: [number, number, number] = [session.probeModel.columns / 2, session.probeModel.rows / 2, 0];
      const a = applyToPoint(fused.imageToCt!, pixel);
      const b = applyToPoint(truth, pixel);
      expect(Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])).toBeLessThan(5);
    });

    it('a new depth re-grids ImageToCt (true and fused): the top-centre pixel stays at the face, the bottom row lies at the depth', () => {
      const session = new NavigationSession(volume, caseFile, 7);
      session.placeProbeOverTarget(0);
      const summary = session.registerWithMarker();
      if ('reason' in summary) throw new Error(summary.reason);
      const face = applyToPoint(session.probe()!, faceCentreInProbe(session.probeModel));
      const { depth } = probeAxesInCt(session.probe()!);
      const deepest = session.probeModel.maxDepthMm;
      for (const depthMm of [40, deepest]) {
        session.setImageDepth(depthMm);
        const model = session.probeModel;
        expect(model.depthMm).toBe(depthMm);
        const truth = session.trueImageToCt()!;
        const top = applyToPoint(truth, [(model.columns - 1) / 2, 0, 0]);
        expect(Math.hypot(top[0] - face[0], top[1] - face[1], top[2] - face[2])).toBeLessThan(1e-6);
        const bottom = applyToPoint(truth, [(model.columns - 1) / 2, model.rows - 1, 0]);
        const along = (bottom[0] - top[0]) * depth[0] + (bottom[1] - top[1]) * depth[1] + (bottom[2] - top[2]) * depth[2];
        expect(along).toBeCloseTo(depthMm, 6);
        // The fused plane uses the same grid: the same pixel lands within the registration's error.
        const fused = applyToPoint(session.fusedImageToCt(500).imageToCt!, [(model.columns - 1) / 2, model.rows - 1, 0]);
        expect(Math.hypot(fused[0] - bottom[0], fused[1] - bottom[1], fused[2] - bottom[2])).toBeLessThan(6);
      }
      expect(() => session.setImageDepth(deepest + 10)).toThrow(/outside/);
    });

    it('slides along the skin keeping contact, and rotates about the contact point', () => {
      const session = new NavigationSession(volume, caseFile, 7);
      session.placeProbeOverTarget(0);
      const start = session.probe()!;
      const slid = moveProbe(volume, session.probeModel, start, { kind: 'slide', alongArrayMm: 20, alongElevationMm: 0 });
      const face = applyToPoint(slid, faceCentreInProbe(session.probeModel));
      const { depth } = probeAxesInCt(slid);
      expect(huAtCtPoint(volume, [face[0] - depth[0] * 2, face[1] - depth[1] * 2, face[2] - depth[2] * 2])).toBeLessThan(-600);
      const before = applyToPoint(start, faceCentreInProbe(session.probeModel));
      expect(Math.hypot(face[0] - before[0], face[1] - before[1], face[2] - before[2])).toBeGreaterThan(15);
      const rotated = moveProbe(volume, session.probeModel, start, { kind: 'rotate', degrees: 90 });
      const pivot = applyToPoint(rotated, faceCentreInProbe(session.probeModel));
      expect(Math.hypot(pivot[0] - before[0], pivot[1] - before[1], pivot[2] - before[2])).toBeLessThan(1e-6);
      const axesBefore = probeAxesInCt(start);
      const axesAfter = probeAxesInCt(rotated);
      expect(Math.abs(axesBefore.array[0] * axesAfter.array[0] + axesBefore.array[1] * axesAfter.array[1] + axesBefore.array[2] * axesAfter.array[2])).toBeLessThan(1e-9);
    });
  });
}

describe('manual point-pair registration and patient motion (lumbar)', () => {
  const folder = resolve(import.meta.dirname, '../../../sample-dicom/lumbar');
  const caseFile = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile;
  const volume = readCaseVolume(folder);
  const markers = caseFile.fiducials.skinMarkers;

  const register = (session: NavigationSession, slipOn?: string) => {
    markers.forEach((m, i) => {
      // The operator clicks a little off the bead; the click snaps to its centroid.
      const picked = session.pickOnCt(m.id, [m.centre[0] + 2, m.centre[1] - 1.5, m.centre[2] + 1]);
      expect(Math.hypot(picked[0] - m.centre[0], picked[1] - m.centre[1], picked[2] - m.centre[2])).toBeLessThan(0.5);
      expect(session.touchWithStylus(m.id, 1000 + i * 500, m.id === slipOn ? [9, 0, 4] : [0, 0, 0])).toBe('ok');
    });
    return session.registerManualPairs();
  };

  it('registers 4 touched skin markers with a clinical-size error', () => {
    const result = register(new NavigationSession(volume, caseFile, 3));
    if ('reason' in result) throw new Error(result.reason);
    expect(result.ids).toEqual(markers.map((m) => m.id));
    expect(result.freMm).toBeGreaterThan(0.1);
    expect(result.freMm).toBeLessThan(3);
    expect(result.trueTreMm).toBeLessThan(6);
    expect(result.outlierIndex).toBeUndefined();
  });

  it('flags a badly touched fiducial as the outlier', () => {
    const result = register(new NavigationSession(volume, caseFile, 3), 'S3');
    if ('reason' in result) throw new Error(result.reason);
    expect(result.ids[result.outlierIndex!]).toBe('S3');
  });

  it('refuses to register with fewer than 3 complete pairs, naming what is missing', () => {
    const session = new NavigationSession(volume, caseFile, 3);
    session.pickOnCt('S1', markers[0]!.centre);
    session.pickOnCt('S2', markers[1]!.centre);
    session.touchWithStylus('S1', 0);
    const result = session.registerManualPairs();
    expect('reason' in result && result.reason).toMatch(/S2 \(not touched\)/);
  });

  it('follows the patient with the reference sensor, and shows the motion without it', () => {
    const error = (useReference: boolean) => {
      const session = new NavigationSession(volume, caseFile, 9, { ...DEFAULT_TRACKER_SETTINGS, jitterMm: 0, jitterDeg: 0, dropoutProbability: 0 });
      session.placeProbeOverTarget(0);
      session.registerWithMarker();
      session.setReferenceSensorUsed(useReference, 100);
      session.movePatient([15, -10, 5], 4, 200);
      const fused = session.fusedImageToCt(2000).imageToCt!;
      const truth = session.trueImageToCt()!;
      const pixel: [number, number, number] = [290, 200, 0];
      const a = applyToPoint(fused, pixel);
      const b = applyToPoint(truth, pixel);
      return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    };
    expect(error(true)).toBeLessThan(4);
    expect(error(false)).toBeGreaterThan(12);
  });
});

describe('plane + point registration (lumbar)', () => {
  const folder = resolve(import.meta.dirname, '../../../sample-dicom/lumbar');
  const caseFile = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile;
  const volume = readCaseVolume(folder);
  const s1 = caseFile.fiducials.skinMarkers[0]!;

  const trueTre = (rotateDeg: number) => {
    const session = new NavigationSession(volume, caseFile, 4);
    session.placeProbeOverTarget(0);
    if (rotateDeg) session.setProbe(moveProbe(volume, session.probeModel, session.probe()!, { kind: 'rotate', degrees: rotateDeg }), 0);
    session.pickOnCt(s1.id, s1.centre);
    expect(session.touchWithStylus(s1.id, 100)).toBe('ok');
    const result = session.registerPlanePoint(s1.id, 1000);
    if ('reason' in result) throw new Error(result.reason);
    return result.trueTreMm;
  };

  it('is accurate when the probe is truly axial, and degrades as it is rotated off axial', () => {
    const aligned = trueTre(0);
    expect(aligned).toBeLessThan(5);
    const rotated = trueTre(8);
    // 8° about the beam axis, with the landmark ~10 cm from the target: about 1.4 cm of error.
    expect(rotated).toBeGreaterThan(aligned + 5);
  });

  it('needs the landmark picked and touched first', () => {
    const session = new NavigationSession(volume, caseFile, 4);
    session.placeProbeOverTarget(0);
    const result = session.registerPlanePoint('S1', 0);
    expect('reason' in result && result.reason).toMatch(/picked on the CT and touched/);
  });
});

describe('tracked needle (lumbar)', () => {
  const folder = resolve(import.meta.dirname, '../../../sample-dicom/lumbar');
  const caseFile = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile;
  const volume = readCaseVolume(folder);

  it('reaches the target along the suggested path, and the virtual needle follows it within tracking error', () => {
    const session = new NavigationSession(volume, caseFile, 12);
    session.registerWithMarker();
    const entry = caseFile.procedure.suggestedEntry!;
    const target = caseFile.targets[0]!.centre;
    session.placeNeedle(entry, target, 0);
    const start = session.trueNeedle()!;
    // The mechanics pick the needle up just outside the skin, on the line to the target.
    expect(Math.hypot(start.tip[0] - entry[0], start.tip[1] - entry[1], start.tip[2] - entry[2])).toBeLessThanOrEqual(5);
    expect(Math.hypot(start.hub[0] - start.tip[0], start.hub[1] - start.tip[1], start.hub[2] - start.tip[2])).toBeCloseTo(150, 9);
    expect(session.needleState()!.insertedMm).toBe(0);
    const depth = Math.hypot(target[0] - start.tip[0], target[1] - start.tip[1], target[2] - start.tip[2]);
    session.advanceNeedle(depth, 100);
    const tip = session.trueNeedle()!.tip;
    expect(Math.hypot(tip[0] - target[0], tip[1] - target[1], tip[2] - target[2])).toBeLessThan(0.3);
    const fused = session.fusedNeedle(1000)!;
    const error = Math.hypot(fused.tip[0] - tip[0], fused.tip[1] - tip[1], fused.tip[2] - tip[2]);
    expect(error).toBeGreaterThan(0.01);
    expect(error).toBeLessThan(6);
    session.advanceNeedle(-20, 200);
    const pulled = session.trueNeedle()!.tip;
    expect(Math.hypot(pulled[0] - target[0], pulled[1] - target[1], pulled[2] - target[2])).toBeCloseTo(20, 0);
  });
});
