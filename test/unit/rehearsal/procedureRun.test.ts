import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CaseFile } from '../../../src/core/cases/caseFile';
import { addScaled, normalize, subtract, type Vec3 } from '../../../src/core/geometry/vec3';
import { compose } from '../../../src/core/frames/transform';
import { needleForCase } from '../../../src/core/needle/needleMechanics';
import { probeAlongPath } from '../../../src/core/planning/probeAlongPath';
import { ProcedureRun } from '../../../src/core/rehearsal/procedureRun';
import { DEFAULT_SESSION_SETTINGS, type SessionRecord } from '../../../src/core/rehearsal/sessionRecord';
import { computeMetrics, metricValue } from '../../../src/core/metrics/computeMetrics';
import { validateSessionRecord } from '../../../src/core/rehearsal/validateSessionRecord';
import { imageToProbe, PROBE_MODELS } from '../../../src/core/tracking/probeModels';
import { readCaseVolume } from '../../../scripts/lib/readCaseVolume';

const folder = resolve(import.meta.dirname, '../../../sample-dicom/lumbar');
const caseFile = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile;
const volume = readCaseVolume(folder);
const model = PROBE_MODELS['curvilinear-3.5'];
const target = caseFile.targets[0]!;
const entry = caseFile.procedure.suggestedEntry!;
const settings = { ...DEFAULT_SESSION_SETTINGS, needle: caseFile.procedure.needle, probeId: model.id };

/** The probe on the back in the plane of the planned path, as the app's "Probe along the path". */
function probeAlongThePath() {
  const probeToCt = probeAlongPath(volume, entry, target.centre, true, model.sensorToFaceMm)!;
  return { probeToCt, imageToCt: compose(probeToCt, imageToProbe(model)) };
}

/** A scripted attempt, as the app runs it: plan, register, scan, insert toward `aim`, then confirm, inject, final CT. */
function scriptedAttempt(aim: Vec3): SessionRecord {
  const run = new ProcedureRun(caseFile, model, { id: 'scripted', targetId: target.id, mode: 'fusion', seed: 7, startedAt: '2026-11-24T10:00:00.000Z', settings });
  let t = 0;
  run.planReviewed((t += 1000));
  run.registered((t += 1000), { method: 'marker', freMm: 0.3, predictedTreMm: 0.5, trueTreMm: 0.9 });
  const probe = probeAlongThePath();
  run.update((t += 1000), probe);
  const direction = normalize(subtract(aim, entry));
  const needle = needleForCase(volume, caseFile, { tip: addScaled(entry, direction, -0.5), direction });
  for (let i = 0; i < 70; i++) {
    const state = needle.state();
    if (Math.hypot(...subtract(state.tip, target.centre)) < 1 || state.stoppedBy) break;
    const feedback = needle.advance(Math.hypot(...subtract(state.tip, target.centre)) > 10 ? 5 : 1);
    t += 500;
    run.needleEvents(t, feedback);
    const now = needle.state();
    run.update(t, { ...probe, needle: { tip: now.tip, hub: now.hub, insertedMm: now.insertedMm } }, true);
  }
  run.confirm((t += 1000));
  run.inject((t += 1000), needle.state().tip, 20, 'gas');
  const final = needle.state();
  run.ctPass((t += 20000), { tip: final.tip, hub: final.hub });
  run.finish(t + 1000);
  return run.record;
}

describe('a scripted attempt through the procedure', () => {
  it('completes the lumbar case with fusion: every step done, the disc felt, technical success with 2 CT passes', () => {
    const record = scriptedAttempt(target.centre);
    const done = record.events.flatMap((e) => (e.kind === 'step-done' ? [e.step] : []));
    expect(done).toEqual(['case', 'plan', 'register', 'scan', 'insert', 'confirm', 'inject', 'final-ct', 'report']);
    expect(record.events.some((e) => e.kind === 'resistance' && /L4–L5/.test(e.name))).toBe(true);
    expect(record.events.some((e) => e.kind === 'breach')).toBe(false);
    const metrics = computeMetrics(record, caseFile);
    expect(metricValue(metrics, 'technicalSuccess')).toBe(true);
    expect(metricValue(metrics, 'ctPasses')).toBe(2);
    expect(metricValue(metrics, 'tipToTargetError')).toBeLessThan(target.acceptanceRadiusMm);
    expect(metricValue(metrics, 'operativeTime')).toBeCloseTo((record.events.find((e) => e.kind === 'injection')!.t - 0) / 1000, 6);
  });

  it('records a breach when the needle is aimed through the exiting L4 root', () => {
    const root = caseFile.avoid.find((a) => /L4.*root.*left/i.test(a.name))!;
    const points = root.shape.type === 'tube' ? root.shape.points : [];
    const record = scriptedAttempt(points[Math.floor(points.length / 2)] ?? target.centre);
    const breach = record.events.find((e) => e.kind === 'breach');
    expect(breach && 'structureId' in breach ? breach.structureId : undefined).toBe(root.id);
    expect(metricValue(computeMetrics(record, caseFile), 'structuresBreached')).toContain(root.id);
  });

  it('replays to identical metrics from its JSON file', () => {
    const record = scriptedAttempt(target.centre);
    const reread = validateSessionRecord(JSON.parse(JSON.stringify(record)));
    if (!reread.ok) throw new Error(reread.errors.join('; '));
    expect(computeMetrics(reread.record, caseFile)).toEqual(computeMetrics(record, caseFile));
  });
});
