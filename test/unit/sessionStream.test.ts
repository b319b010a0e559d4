import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CaseFile } from '../../src/core/cases/caseFile';
import { compose } from '../../src/core/frames/transform';
import { addScaled, normalize, subtract } from '../../src/core/geometry/vec3';
import { computeMetrics } from '../../src/core/metrics/computeMetrics';
import { createMetricsStream, followRecord } from '../../src/core/metrics/metricsStream';
import { moveProbe } from '../../src/core/navigation/probeMotion';
import { needleForCase } from '../../src/core/needle/needleMechanics';
import { probeAlongPath } from '../../src/core/planning/probeAlongPath';
import { seededRandom } from '../../src/core/random/seededRandom';
import { ProcedureRun } from '../../src/core/rehearsal/procedureRun';
import { assembleSession, SessionChunkWriter, type SessionChunk, type SessionHeader } from '../../src/core/rehearsal/sessionChunks';
import { DEFAULT_SESSION_SETTINGS, type SessionRecord } from '../../src/core/rehearsal/sessionRecord';
import { imageToProbe, PROBE_MODELS } from '../../src/core/tracking/probeModels';
import { readCaseVolume } from '../../scripts/lib/readCaseVolume';
import { handSession, tinyCase } from './fixtures/handComputedSession';

const folder = resolve(import.meta.dirname, '../../sample-dicom/lumbar');
const caseFile = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile;
const volume = readCaseVolume(folder);
const model = PROBE_MODELS['curvilinear-3.5'];
const target = caseFile.targets[0]!;
const entry = caseFile.procedure.suggestedEntry!;
const settings = { ...DEFAULT_SESSION_SETTINGS, needle: caseFile.procedure.needle, probeId: model.id };

/**
 * A long, busy attempt recorded as the app records it: updates every 20 ms (so the recorder
 * merges samples within 50 ms, replacing its last one), the probe sliding and tilting, the needle
 * pushed in, steered, pulled out and pushed in again, CT passes, an injection; `onUpdate` is
 * called after every update with the live record.
 */
function busyAttempt(updates: number, onUpdate: (run: ProcedureRun, i: number) => void): ProcedureRun {
  const run = new ProcedureRun(caseFile, model, { id: 'busy', targetId: target.id, mode: 'fusion', seed: 7, startedAt: '2026-11-24T10:00:00.000Z', settings });
  const random = seededRandom(12);
  let t = 0;
  run.planReviewed((t += 1000));
  run.registered((t += 1000), { method: 'marker', freMm: 0.3, predictedTreMm: 0.5, trueTreMm: 0.9 });
  let probeToCt = probeAlongPath(volume, entry, target.centre, true, model.sensorToFaceMm)!;
  const direction = normalize(subtract(target.centre, entry));
  const start = { tip: addScaled(entry, direction, -0.5), direction };
  // Every other pass aims at the exiting L4 root: close approaches, and a breach.
  const root = caseFile.avoid.find((a) => /L4.*root.*left/i.test(a.name))!;
  const rootPoint = root.shape.type === 'tube' ? root.shape.points[Math.floor(root.shape.points.length / 2)]! : target.centre;
  const towardRoot = normalize(subtract(rootPoint, entry));
  const starts = [start, { tip: addScaled(entry, towardRoot, -0.5), direction: towardRoot }];
  const needle = needleForCase(volume, caseFile, start);
  for (let i = 0; i < updates; i++) {
    t += 20 + (i % 7 === 0 ? 150 : 0); // now and then a pause
    const phase = i % 600;
    if (i % 3 === 0)
      probeToCt = moveProbe(
        volume,
        model,
        probeToCt,
        random.next() < 0.5 ? { kind: 'slide', alongArrayMm: random.next() - 0.5, alongElevationMm: 0 } : { kind: 'tilt', degrees: random.next() - 0.5 },
      );
    let feedback: readonly ReturnType<typeof needle.advance>[number][] = [];
    if (phase < 60 || (phase >= 200 && phase < 400)) feedback = needle.advance(0.25);
    else if (phase < 200) {
      // Steered while shallow (a rigid needle turns only within 20 mm of the skin).
      const turned = needle.redirect(phase % 60 < 30 ? 0.5 : -0.5, (random.next() - 0.5) * 0.2);
      if (turned.ok) feedback = turned.feedback;
    } else if (phase < 560) feedback = needle.advance(-0.8);
    else if (phase === 560) needle.aim(starts[(Math.floor(i / 600) + 1) % 2]!.tip, starts[(Math.floor(i / 600) + 1) % 2]!.direction);
    if (feedback.length) run.needleEvents(t, feedback);
    const state = needle.state();
    run.update(t, { probeToCt, imageToCt: compose(probeToCt, imageToProbe(model)), needle: { tip: state.tip, hub: state.hub, insertedMm: state.insertedMm } });
    if (i === Math.floor(updates / 3)) run.ctPass(t, { tip: state.tip, hub: state.hub });
    if (i === Math.floor(updates / 2) && state.insertedMm > 0) run.inject(t, state.tip, 20, 'gas');
    onUpdate(run, i);
  }
  return run;
}

/** The record as the store would hold it (a structured clone). */
const snapshot = (record: SessionRecord): SessionRecord => structuredClone(record);

describe('the attempt in progress streams to storage (issue 12)', () => {
  it('a record grown over many saves is reassembled exactly from its header and chunks, and each write holds only what was added', () => {
    const writer = new SessionChunkWriter();
    let header: SessionHeader | undefined;
    const stored: SessionChunk[] = [];
    let written = { samples: 0, events: 0 };
    let saves = 0;
    let replacedSeen = 0;
    const run = busyAttempt(2400, (run, i) => {
      if (i % 13 !== 0 && i % 50 !== 7) return; // saves at irregular moments, as the timer and the events make them
      const record = run.record;
      const { restart, chunk } = writer.next(record);
      if (restart) {
        expect(saves).toBe(0);
        header = structuredClone(restart);
        stored.length = 0;
      }
      if (chunk) {
        // Only the delta: the new samples (and the last one written again if the recorder replaced it), the new events.
        expect(chunk.samples.length).toBe(record.samples.length - chunk.samplesFrom);
        expect(chunk.samplesFrom).toBeGreaterThanOrEqual(written.samples - 1);
        expect(chunk.eventsFrom).toBe(written.events);
        if (chunk.samplesFrom === written.samples - 1) replacedSeen++;
        stored.push(structuredClone(chunk));
      }
      written = { samples: record.samples.length, events: record.events.length };
      saves++;
      expect(assembleSession(header!, stored)).toStrictEqual(snapshot(record));
    });
    expect(saves).toBeGreaterThan(200);
    expect(replacedSeen).toBeGreaterThan(10);
    expect(run.record.samples.length).toBeGreaterThan(1000);
    // The chunks written add up to about the record once, not once per save.
    const samplesWritten = stored.reduce((n, c) => n + c.samples.length, 0);
    expect(samplesWritten).toBeLessThan(run.record.samples.length + saves);
    // The last moves too, then in any order, as the store lists them.
    const last = writer.next(run.record).chunk;
    if (last) stored.push(structuredClone(last));
    expect(assembleSession(header!, [...stored].reverse())).toStrictEqual(snapshot(run.record));
  });

  it('a resumed attempt carries on without writing again what is stored; another attempt, or a failed write, starts over; a missing chunk is no record', () => {
    const writer = new SessionChunkWriter();
    const run = busyAttempt(200, () => undefined);
    const first = writer.next(run.record);
    expect(first.restart?.id).toBe('busy');
    expect(first.chunk?.samples.length).toBe(run.record.samples.length);
    expect(writer.next(run.record)).toEqual({});
    const resumed = assembleSession(first.restart!, [structuredClone(first.chunk!)])!;
    const again = new SessionChunkWriter();
    again.continueFrom(resumed, 1);
    const carried = new ProcedureRun(caseFile, model, { id: 'x', targetId: target.id, mode: 'fusion', seed: 7, startedAt: '', settings }, resumed);
    expect(again.next(carried.record)).toEqual({});
    carried.update(carried.lastTime() + 100, {});
    const next = again.next(carried.record);
    expect(next.restart).toBeUndefined();
    expect(next.chunk).toMatchObject({ seq: 1, samplesFrom: resumed.samples.length });
    expect(next.chunk!.samples).toHaveLength(1);
    again.reset();
    expect(again.next(carried.record).restart?.id).toBe('busy');
    const other = { ...run.record, id: 'other' };
    expect(again.next(other).restart?.id).toBe('other');
    expect(assembleSession(first.restart!, [{ ...first.chunk!, seq: 1 }])).toBeUndefined();
  });
});

describe('metrics computed incrementally (issue 12)', () => {
  it('follow a live attempt: at every prefix and at the end the streamed result deep-equals computeMetrics', () => {
    let live: ReturnType<typeof followRecord> | undefined;
    let checks = 0;
    const run = busyAttempt(4000, (run, i) => {
      live ??= followRecord(caseFile, run.record);
      if (i % 97 !== 3 && i % 400 !== 399) return;
      expect(live.result()).toStrictEqual(computeMetrics(snapshot(run.record), caseFile));
      checks++;
    });
    run.confirm(run.lastTime() + 500);
    run.ctPass(run.lastTime() + 500, undefined);
    run.finish(run.lastTime() + 500);
    const end = computeMetrics(snapshot(run.record), caseFile);
    expect(live!.result()).toStrictEqual(end);
    expect(run.liveMetrics()).toStrictEqual(end);
    expect(checks).toBeGreaterThan(40);
    // The attempt did what the metrics measure.
    const value = (id: string) => end.find((r) => r.id === id)!.value;
    expect(value('punctures')).toBeGreaterThan(1);
    expect(value('redirections')).toBeGreaterThan(0);
    expect(value('tissueDamage')).toBeGreaterThan(0);
    expect(value('timeOutOfPlane')).toBeGreaterThan(0);
    expect(value('operativeTime'), 'operativeTime').not.toBeNull();
  });

  it('give the hand-computed session its batch result, sample by sample and event by event', () => {
    const stream = createMetricsStream(tinyCase, handSession);
    const items = [...handSession.samples.map((s, i) => ({ t: s.t, order: 0, i, item: s })), ...handSession.events.map((e, i) => ({ t: e.t, order: 1, i, item: e }))].sort(
      (a, b) => a.t - b.t || a.order - b.order || a.i - b.i,
    );
    for (const { item } of items) stream.add(item);
    const batch = computeMetrics(handSession, tinyCase);
    expect(stream.result()).toStrictEqual(batch);
    // Its shaft comes near (and into) structures: the closest approaches are streamed too.
    expect(batch.find((r) => r.id === 'closestApproach')!.value).not.toBeNull();
    // And at each prefix of the samples (with the events up to them).
    for (let n = 1; n <= handSession.samples.length; n++) {
      const until = handSession.samples[n - 1]!.t;
      const prefix: SessionRecord = { ...handSession, samples: handSession.samples.slice(0, n), events: handSession.events.filter((e) => e.t <= until) };
      const partial = createMetricsStream(tinyCase, handSession);
      for (const { item } of items.filter(({ item }) => ('kind' in item ? prefix.events.includes(item) : prefix.samples.includes(item)))) partial.add(item);
      expect(partial.result()).toStrictEqual(computeMetrics(prefix, tinyCase));
    }
  });

  it('a computeMetrics of a live record is measured again once the record grew (the closest approaches are cached per record)', () => {
    const run = busyAttempt(300, () => undefined);
    const early = computeMetrics(run.record, caseFile);
    busyAttemptContinue(run);
    expect(computeMetrics(run.record, caseFile)).toStrictEqual(computeMetrics(snapshot(run.record), caseFile));
    expect(early).toBeDefined();
  });
});

/** Drives the needle of a run further in (new samples in tissue). */
function busyAttemptContinue(run: ProcedureRun): void {
  const direction = normalize(subtract(target.centre, entry));
  const needle = needleForCase(volume, caseFile, { tip: addScaled(entry, direction, -0.5), direction });
  let t = run.lastTime();
  for (let i = 0; i < 40; i++) {
    run.needleEvents((t += 60), needle.advance(1));
    const s = needle.state();
    run.update(t, { needle: { tip: s.tip, hub: s.hub, insertedMm: s.insertedMm } });
  }
}
