import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import type { CaseFile } from '../../../src/core/cases/caseFile';
import { readCaseVolume } from '../../../scripts/lib/readCaseVolume';
import { SimulatorState } from '../../../src/core/simulation/simulatorState';
import { TypedEmitter } from '../../../src/core/simulation/typedEmitter';
import { needleToPlane } from '../../../src/core/navigation/needleToPlane';
import type { SimulatorEventMap } from '../../../src/core/simulation/simulatorEvents';
import { inPlaneCue } from '../../../src/core/simulation/inPlaneCue';
import { transformOf } from '../../../src/core/frames/transform';

const folder = resolve(import.meta.dirname, '../../../sample-dicom/lumbar');
const caseFile = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile;
const volume = readCaseVolume(folder);

/** A state on the lumbar phantom with a clock the test moves (ms), recording every event it emits. */
function lumbarState(seed = 3) {
  let now = 1000;
  const state = new SimulatorState(() => now);
  const seen: (keyof SimulatorEventMap)[] = [];
  for (const type of ['opened', 'pose', 'needle', 'registration', 'scanner', 'window', 'navigation', 'session-delta', 'attempt', 'ct-pass', 'acoustic-regions'] as const)
    state.events.on(type, () => seen.push(type));
  state.open(volume, caseFile, seed);
  return { state, seen, advance: (ms: number) => (now += ms) };
}

describe('typed emitter', () => {
  it('calls listeners in order with their payload, and unsubscribes', () => {
    const emitter = new TypedEmitter<{ a: { n: number }; b: string }>();
    const got: string[] = [];
    const off = emitter.on('a', ({ n }) => got.push(`a${n}`));
    emitter.on('a', ({ n }) => got.push(`A${n}`));
    emitter.on('b', (s) => got.push(s));
    emitter.emit('a', { n: 1 });
    off();
    emitter.emit('a', { n: 2 });
    emitter.emit('b', 'x');
    expect(got).toEqual(['a1', 'A1', 'A2', 'x']);
  });
});

describe('SimulatorState: one owner, derived values once', () => {
  it('a window or gain change records nothing and asks for no new pose; a probe move does', () => {
    const { state, seen, advance } = lumbarState();
    state.registerWithMarker();
    state.startAttempt({ targetId: caseFile.targets[0]!.id, mode: 'fusion', needle: { gauge: 22, lengthMm: 150 } });
    const run = state.attempt!.run;
    advance(200);
    const samples = run.record.samples.length;
    seen.length = 0;
    state.setWindow({ width: 2000, level: 500 });
    state.setGainOffset(6);
    expect(seen).toEqual(['window', 'scanner']);
    expect(run.record.samples.length).toBe(samples);
    advance(200);
    state.moveProbe({ kind: 'slide', alongArrayMm: 2, alongElevationMm: 0 });
    expect(seen).toContain('pose');
    expect(seen).toContain('session-delta');
    expect(run.record.samples.length).toBe(samples + 1);
  });

  it('every readout reads one snapshot: the navigated needle-to-plane is that of the fused needle and plane at the same moment', () => {
    const { state, advance } = lumbarState();
    state.registerWithMarker();
    state.placeNeedleAtSuggestedEntry();
    state.steerNeedle({ kind: 'push', mm: 30 });
    advance(500);
    state.tick();
    const snapshot = state.snapshot!;
    const session = state.session!;
    const fused = session.fusedImageToCt(snapshot.timeMs).imageToCt!;
    const needle = session.fusedNeedle(snapshot.timeMs)!;
    expect(snapshot.navigated.needleToPlane).toEqual(needleToPlane(needle, fused));
    expect(snapshot.navigated.tipToTargetMm).toBeCloseTo(Math.hypot(...needle.tip.map((v, a) => v - caseFile.targets[0]!.centre[a]!)), 9);
    // The true frame is the simulator's: it differs from the navigated one by the tracking and registration error.
    expect(snapshot.truth.tipToTargetMm).not.toBe(snapshot.navigated.tipToTargetMm);
    expect(Math.abs(snapshot.truth.tipToTargetMm! - snapshot.navigated.tipToTargetMm!)).toBeLessThan(6);
  });

  it('the true TRE follows the patient moving when the reference sensor is off, and not when it is on', () => {
    const { state, advance } = lumbarState();
    state.registerWithMarker();
    advance(100);
    const before = state.snapshot!.truth.treMm!;
    state.movePatient();
    expect(state.snapshot!.truth.treMm).toBeCloseTo(before, 6);
    state.setReferenceSensorUsed(false);
    const frozen = state.snapshot!.truth.treMm!;
    state.movePatient();
    // 15, −8, 5 mm and 4° about the tracker's vertical: far more than the registration's own error.
    expect(state.snapshot!.truth.treMm! - frozen).toBeGreaterThan(10);
  });

  it('metal near the probe is said: tracking "ok" but distorted by a measured amount', () => {
    const { state } = lumbarState();
    state.registerWithMarker();
    expect(state.snapshot!.navigated.metalDistortionMm).toBeUndefined();
    state.setMetal(true);
    expect(state.snapshot!.navigated.metalDistortionMm).toBeGreaterThan(2);
  });

  it('the tracker streams on its own clock: with a still probe, 3 mm jitter moves the navigated plane from sample to sample; without jitter it holds still', () => {
    const spread = (jitterMm: number) => {
      const { state, advance } = lumbarState(11);
      state.registerWithMarker();
      state.configureTracker({ jitterMm, jitterDeg: jitterMm === 0 ? 0 : 0.2, dropoutProbability: 0 });
      const origins: number[][] = [];
      for (let k = 0; k < 40; k++) {
        advance(25);
        if (state.tick()) origins.push([...state.snapshot!.navigated.imageToCt!.matrix].filter((_, i) => i === 3 || i === 7 || i === 11));
      }
      const mean = [0, 1, 2].map((a) => origins.reduce((s, o) => s + o[a]!, 0) / origins.length);
      return { ticks: origins.length, rms: Math.sqrt(origins.reduce((s, o) => s + o.reduce((t, v, a) => t + (v - mean[a]!) ** 2, 0), 0) / origins.length) };
    };
    const still = spread(0);
    const shimmer = spread(3);
    expect(shimmer.ticks).toBeGreaterThanOrEqual(35);
    expect(still.rms).toBeLessThan(1e-9);
    // Reference and probe jitter both enter the plane's origin: √2 · √3 · 3 mm ≈ 7 mm RMS in 3D, give or take the draw.
    expect(shimmer.rms).toBeGreaterThan(3);
  });

  it('session deltas carry only what is new: their sample counts add up to the record', () => {
    const { state, advance } = lumbarState();
    let samples = 0;
    let events = 0;
    state.events.on('session-delta', (delta) => {
      samples += delta.samplesAdded;
      events += delta.events.length;
    });
    state.startAttempt({ targetId: caseFile.targets[0]!.id, mode: 'fusion', needle: { gauge: 22, lengthMm: 150 } });
    const run = state.attempt!.run;
    const initialSamples = run.record.samples.length - samples;
    const initialEvents = run.record.events.length - events;
    for (let k = 0; k < 30; k++) {
      advance(k % 3 === 0 ? 20 : 80);
      state.moveProbe({ kind: 'slide', alongArrayMm: 1, alongElevationMm: 0 });
    }
    state.attempt!.planReviewed();
    expect(samples + initialSamples).toBe(run.record.samples.length);
    expect(events + initialEvents).toBe(run.record.events.length);
  });

  it('CT-only: a CT pass shows the tip but never confirms; the trainee confirms after it', () => {
    const { state, advance } = lumbarState();
    const attempt = state.startAttempt({ targetId: caseFile.targets[0]!.id, mode: 'ct', needle: { gauge: 22, lengthMm: 150 } })!;
    attempt.needleAtEntry();
    advance(100);
    state.steerNeedle({ kind: 'push', mm: 40 });
    expect(attempt.run.isDone('insert')).toBe(true);
    attempt.confirm();
    expect(attempt.run.isDone('confirm')).toBe(false);
    attempt.ctPass();
    expect(attempt.lastCtPass()?.needle).toBeDefined();
    expect(attempt.run.isDone('confirm')).toBe(false);
    attempt.confirm();
    expect(attempt.run.isDone('confirm')).toBe(true);
  });

  it('opening another CT leaves nothing behind: no attempt, no registration, no needle', () => {
    const { state, seen } = lumbarState();
    state.registerWithMarker();
    state.startAttempt({ targetId: caseFile.targets[0]!.id, mode: 'fusion', needle: { gauge: 22, lengthMm: 150 } });
    state.placeNeedleAtSuggestedEntry();
    seen.length = 0;
    state.open(volume, undefined, 4);
    expect(state.attempt).toBeUndefined();
    expect(state.session).toBeUndefined();
    expect(state.snapshot).toBeUndefined();
    expect(seen.slice(0, 2)).toEqual(['attempt', 'opened']);
  });

  it('while a recording replays, live commands are refused and nothing is recorded', () => {
    const { state, advance } = lumbarState();
    const run = state.startAttempt({ targetId: caseFile.targets[0]!.id, mode: 'fusion', needle: { gauge: 22, lengthMm: 150 } })!.run;
    state.beginReplay('fusion');
    const samples = run.record.samples.length;
    const probe = state.session!.probe();
    advance(200);
    state.moveProbe({ kind: 'slide', alongArrayMm: 4, alongElevationMm: 0 });
    expect(state.session!.probe()).toBe(probe);
    expect(run.record.samples.length).toBe(samples);
    state.endReplay();
    advance(200);
    state.moveProbe({ kind: 'slide', alongArrayMm: 4, alongElevationMm: 0 });
    expect(run.record.samples.length).toBe(samples + 1);
  });
});

describe('in-plane cue', () => {
  // Image z along Ct +z; the probe's elevation along Ct +z too: the ↑ key slides toward +z.
  const imageToCt = transformOf('Image', 'Ct', [0.2, 0, 0, 0, 0, 0.2, 0, 0, 0, 0, 0.2, 0, 0, 0, 0, 1]);
  it('turns first while the shaft crosses the plane, then slides toward the tip', () => {
    expect(inPlaneCue({ angleDeg: 12, tipDistanceMm: 4 }, imageToCt, [0, 0, 1])).toMatch(/rotate the probe \(Q\/E\)/);
    expect(inPlaneCue({ angleDeg: 2, tipDistanceMm: 3.2 }, imageToCt, [0, 0, 1])).toMatch(/slide the probe ↑ about 3 mm/);
    expect(inPlaneCue({ angleDeg: 2, tipDistanceMm: -3.2 }, imageToCt, [0, 0, 1])).toMatch(/slide the probe ↓/);
    expect(inPlaneCue({ angleDeg: 2, tipDistanceMm: 3.2 }, imageToCt, [0, 0, -1])).toMatch(/slide the probe ↓/);
    expect(inPlaneCue({ angleDeg: 1, tipDistanceMm: 0.8 }, imageToCt, [0, 0, 1])).toMatch(/in plane/);
  });
});
