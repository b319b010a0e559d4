import { describe, expect, it } from 'vitest';
import { fromRotationTranslation, rotationAboutAxis } from '../../../src/core/frames/transform';
import { TrackerSimulation } from '../../../src/core/tracking/trackerSimulation';
import { DEFAULT_TRACKER_SETTINGS, type TrackerSettings } from '../../../src/core/tracking/trackerSettings';
import { seededRandom } from '../../../src/core/random/seededRandom';
import type { Vec3 } from '../../../src/core/geometry/vec3';

const exact: TrackerSettings = { ...DEFAULT_TRACKER_SETTINGS, jitterMm: 0, jitterDeg: 0, staticErrorMm: 0, staticErrorDeg: 0, dropoutProbability: 0, latencyMs: 0 };
const poseAt = (p: Vec3) => fromRotationTranslation('Probe', 'Tracker', rotationAboutAxis([0, 0, 1], 0.3), p);
const position = (m: Float64Array): Vec3 => [m[3]!, m[7]!, m[11]!];

describe('simulated electromagnetic tracker', () => {
  it('replays exactly for a seed, and differs for another', () => {
    const run = (seed: number) => {
      const sim = new TrackerSimulation(DEFAULT_TRACKER_SETTINGS, seed);
      sim.setTruePose('Probe', 0, poseAt([10, 20, 300]));
      return [100, 200, 300].map((t) => Array.from(sim.report('Probe', t).toolToTracker!.matrix));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('jitters with the set RMS per axis (4000 samples)', () => {
    const sim = new TrackerSimulation({ ...exact, jitterMm: 0.14 }, 3);
    sim.setTruePose('Probe', 0, poseAt([0, 0, 300]));
    const samples = Array.from({ length: 4000 }, (_, i) => position(sim.report('Probe', i * 25).toolToTracker!.matrix));
    for (let axis = 0; axis < 3; axis++) {
      const values = samples.map((p) => p[axis]! - [0, 0, 300][axis]!);
      const rms = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
      expect(Math.abs(rms / 0.14 - 1)).toBeLessThan(0.08);
    }
  });

  it('has a smooth static error of the set RMS over the working volume', () => {
    const sim = new TrackerSimulation(DEFAULT_TRACKER_SETTINGS, 5);
    const random = seededRandom(9);
    const { min, max } = DEFAULT_TRACKER_SETTINGS.workingVolume;
    let sum = 0;
    const n = 5000;
    for (let i = 0; i < n; i++) {
      const p: Vec3 = [0, 1, 2].map((a) => min[a]! + random.next() * (max[a]! - min[a]!)) as unknown as Vec3;
      const e = sim.positionError(p);
      sum += e[0] ** 2 + e[1] ** 2 + e[2] ** 2;
    }
    expect(Math.abs(Math.sqrt(sum / n) / 0.9 - 1)).toBeLessThan(0.15);
    // Smooth: 1 mm apart the error barely changes.
    const a = sim.positionError([10, 10, 300]);
    const b = sim.positionError([11, 10, 300]);
    expect(Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])).toBeLessThan(0.05);
  });

  it('reports out-of-field outside the working volume and drops samples at the set rate', () => {
    const sim = new TrackerSimulation({ ...exact, dropoutProbability: 0.1 }, 4);
    sim.setTruePose('Needle', 0, fromRotationTranslation('Needle', 'Tracker', [1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, 700]));
    expect(sim.report('Needle', 100).status).toBe('out-of-field');
    sim.setTruePose('Stylus', 0, fromRotationTranslation('Stylus', 'Tracker', [1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, 300]));
    const statuses = Array.from({ length: 5000 }, (_, i) => sim.report('Stylus', i * 25).status);
    const missing = statuses.filter((s) => s === 'missing').length / statuses.length;
    expect(missing).toBeGreaterThan(0.085);
    expect(missing).toBeLessThan(0.115);
    expect(new TrackerSimulation(exact, 1).report('Probe', 0).status).toBe('missing'); // never seen
  });

  it('holds each sample for 1/rate and delays it by the latency', () => {
    const sim = new TrackerSimulation({ ...exact, updateRateHz: 40, latencyMs: 60 }, 2);
    for (let t = 0; t <= 1000; t += 5) sim.setTruePose('Probe', t, poseAt([t / 10, 0, 300])); // 0.1 mm per ms
    const reported = position(sim.report('Probe', 500).toolToTracker!.matrix)[0];
    // The sample taken at floor((500 − 60) / 25) · 25 = 425 ms.
    expect(reported).toBeCloseTo(42.5, 9);
    expect(position(sim.report('Probe', 509).toolToTracker!.matrix)[0]).toBeCloseTo(42.5, 9);
    expect(position(sim.report('Probe', 510).toolToTracker!.matrix)[0]).toBeCloseTo(45, 9); // the next sample, 450 ms
  });

  it('distorts near a metal object: 4.2 mm at 20 mm, falling as 1/r³', () => {
    const metal = { enabled: true, positionInTracker: [100, 0, 300] as Vec3, errorAt20MmMm: 4.2 };
    const sim = new TrackerSimulation({ ...exact, metal }, 6);
    const near = sim.positionError([120, 0, 300]);
    const far = sim.positionError([160, 0, 300]);
    expect(Math.hypot(...near)).toBeCloseTo(4.2, 6);
    expect(Math.hypot(...far)).toBeCloseTo(4.2 / 27, 6);
  });
});
