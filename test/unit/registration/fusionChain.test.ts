import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { applyToPoint, compose, invert } from '../../../src/core/frames/transform';
import { imageToProbe, isInFieldOfView, PROBE_MODELS } from '../../../src/core/tracking/probeModels';
import { createRoom, imageToCtChain, probePoseInCt, referenceToTracker } from '../../../src/core/tracking/simulatedRoom';
import { TrackerSimulation } from '../../../src/core/tracking/trackerSimulation';
import { DEFAULT_TRACKER_SETTINGS } from '../../../src/core/tracking/trackerSettings';
import { registerPointPairs } from '../../../src/core/registration/pairedPointRegistration';
import { findBrightBlobs } from '../../../src/core/registration/findBrightBlobs';
import { matchMarkerBeads } from '../../../src/core/registration/matchMarkerBeads';
import { huAtCtPoint } from '../../../src/core/volume/ctVolume';
import { ctToCtIjk } from '../../../src/core/volume/volumeGeometry';
import type { CaseFile } from '../../../src/core/cases/caseFile';
import type { Vec3 } from '../../../src/core/geometry/vec3';
import { readCaseVolume } from '../../../scripts/lib/readCaseVolume';

const folder = resolve(import.meta.dirname, '../../../sample-dicom/lumbar');
const caseFile = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile;
const target = caseFile.targets[0]!.centre;
const entry = caseFile.procedure.suggestedEntry!;
const marker = caseFile.fiducials.marker!;
const model = PROBE_MODELS['curvilinear-3.5'];
const distance = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe('the fusion chain ImageToCt = ReferenceToCt · TrackerToReference · ProbeToTracker · ImageToProbe', () => {
  const room = createRoom(42, target, marker.beadsInMarker, marker.beadsInCt);
  // The probe on the skin at the suggested entry, looking at the L4–L5 target.
  const depth: Vec3 = [target[0] - entry[0], target[1] - entry[1], target[2] - entry[2]];
  const probeToCt = probePoseInCt(entry, depth, [0, 0, 1], model.sensorToFaceMm);
  const probeToTracker = compose(room.ctToTracker, probeToCt);
  // The image pixel where the target should appear: centre column, at its depth.
  const targetRow = distance(entry, target) / model.mmPerPixel;
  const targetPixel: Vec3 = [(model.columns - 1) / 2, targetRow, 0];

  it('maps the US pixel over the target to the target voxel with exact tracking and registration', () => {
    const chain = imageToCtChain(room.referenceToCt, referenceToTracker(room), probeToTracker, imageToProbe(model));
    const pointInCt = applyToPoint(chain, targetPixel);
    expect(distance(pointInCt, target)).toBeLessThan(1e-6);
    expect(isInFieldOfView(model, targetPixel[0], targetPixel[1])).toBe(true);
    // …and that voxel is the L4–L5 nucleus of the shipped CT.
    const volume = readCaseVolume(folder);
    const ijk = ctToCtIjk(volume.geometry, pointInCt).map(Math.round);
    const targetIjk = ctToCtIjk(volume.geometry, target).map(Math.round);
    expect(ijk).toEqual(targetIjk);
    expect(huAtCtPoint(volume, pointInCt)).toBeGreaterThan(30);
    expect(huAtCtPoint(volume, pointInCt)).toBeLessThan(130);
  });

  it('keeps the target within a few millimetres through the simulated tracker and the automatic marker registration', () => {
    const volume = readCaseVolume(folder);
    const match = matchMarkerBeads(
      marker.beadsInMarker,
      findBrightBlobs(volume).map((b) => b.centreInCt),
    );
    if ('reason' in match || !match.outcome.ok) throw new Error('marker registration failed');
    const tracker = new TrackerSimulation(DEFAULT_TRACKER_SETTINGS, 42);
    tracker.setTruePose('Reference', 0, referenceToTracker(room));
    tracker.setTruePose('Probe', 0, probeToTracker);
    const reference = tracker.report('Reference', 200);
    const probe = tracker.report('Probe', 200);
    expect(reference.status).toBe('ok');
    expect(probe.status).toBe('ok');
    const chain = imageToCtChain(match.outcome.transform, reference.toolToTracker!, probe.toolToTracker!, imageToProbe(model));
    const error = distance(applyToPoint(chain, targetPixel), target);
    // Clean-field EM errors of two sensors (~0.9 mm each) plus the lever arm of ~0.3° over 13 cm.
    expect(error).toBeGreaterThan(0.05);
    expect(error).toBeLessThan(5);
  });

  it('draws a different, reproducible patient pose per seed', () => {
    const a = createRoom(1, target, marker.beadsInMarker, marker.beadsInCt);
    const b = createRoom(1, target, marker.beadsInMarker, marker.beadsInCt);
    const c = createRoom(2, target, marker.beadsInMarker, marker.beadsInCt);
    expect(Array.from(a.ctToTracker.matrix)).toEqual(Array.from(b.ctToTracker.matrix));
    expect(Array.from(a.ctToTracker.matrix)).not.toEqual(Array.from(c.ctToTracker.matrix));
    // The target lands inside the working volume.
    const inTracker = applyToPoint(a.ctToTracker, target);
    const { min, max } = DEFAULT_TRACKER_SETTINGS.workingVolume;
    inTracker.forEach((v, axis) => {
      expect(v).toBeGreaterThan(min[axis]!);
      expect(v).toBeLessThan(max[axis]!);
    });
    // The marker's real beads differ from its drawing by the manufacturing error (0.3 mm RMS).
    expect(distance(applyToPoint(invert(a.referenceToCt), marker.beadsInCt[0]!), marker.beadsInMarker[0]!)).toBeLessThan(1.5);
  });

  it('curvilinear and linear fields of view have the shapes of their images', () => {
    const linear = PROBE_MODELS['linear-7.5'];
    expect(isInFieldOfView(linear, 0, 0)).toBe(true);
    expect(isInFieldOfView(linear, linear.columns - 1, linear.rows - 1)).toBe(true);
    // The sector: the top corners are outside, the top centre and the deep centre inside.
    expect(isInFieldOfView(model, 0, 0)).toBe(false);
    expect(isInFieldOfView(model, (model.columns - 1) / 2, 1)).toBe(true);
    expect(isInFieldOfView(model, (model.columns - 1) / 2, model.rows - 1)).toBe(true);
    expect(isInFieldOfView(model, 0, model.rows - 1)).toBe(false);
    const registered = registerPointPairs('Reference', 'Ct', marker.beadsInMarker, marker.beadsInCt);
    expect(registered.ok).toBe(true);
  });
});

describe('needle to image plane', () => {
  it('gives 0° and the tip distance for a needle in a plane parallel to the image, 90° across it', async () => {
    const { needleToPlane } = await import('../../../src/core/navigation/needleToPlane');
    const { transformOf } = await import('../../../src/core/frames/transform');
    // Image plane z = 5 in Ct (pixels 0.5 mm), normal +z.
    const imageToCt = transformOf('Image', 'Ct', [0.5, 0, 0, 10, 0, 0.5, 0, 20, 0, 0, 0.5, 5, 0, 0, 0, 1]);
    const parallel = needleToPlane({ hub: [0, 0, 8], tip: [40, 30, 8] }, imageToCt);
    expect(parallel.angleDeg).toBeCloseTo(0, 9);
    expect(parallel.tipDistanceMm).toBeCloseTo(3, 9);
    const across = needleToPlane({ hub: [0, 0, 0], tip: [0, 0, 50] }, imageToCt);
    expect(across.angleDeg).toBeCloseTo(90, 9);
    const thirty = needleToPlane({ hub: [0, 0, 5], tip: [Math.cos(Math.PI / 6) * 10, 0, 5 + Math.sin(Math.PI / 6) * 10] }, imageToCt);
    expect(thirty.angleDeg).toBeCloseTo(30, 9);
  });
});
