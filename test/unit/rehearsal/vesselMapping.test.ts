import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CaseFile } from '../../../src/core/cases/caseFile';
import { transformOf } from '../../../src/core/frames/transform';
import { ProcedureRun } from '../../../src/core/rehearsal/procedureRun';
import { DEFAULT_SESSION_SETTINGS, type GuidanceMode } from '../../../src/core/rehearsal/sessionRecord';
import { validateSessionRecord } from '../../../src/core/rehearsal/validateSessionRecord';
import { vesselsToMap } from '../../../src/core/rehearsal/vesselMapping';
import { PROBE_MODELS } from '../../../src/core/tracking/probeModels';
import { colourDoppler, vesselsInBox } from '../../../src/core/ultrasound/colorDoppler';
import { caseDopplerVessels } from '../../../src/core/ultrasound/colorDopplerFlow';

const read = (name: string) => JSON.parse(readFileSync(join(resolve(import.meta.dirname, '../../../sample-dicom', name), 'case.json'), 'utf8')) as CaseFile;
const hip = read('hip');
const lumbar = read('lumbar');
const linear = PROBE_MODELS['linear-7.5'];

function run(caseFile: CaseFile, mode: GuidanceMode = 'fusion') {
  return new ProcedureRun(caseFile, linear, {
    id: 'a',
    targetId: caseFile.targets[0]!.id,
    mode,
    seed: 1,
    startedAt: '2026-11-24T10:00:00.000Z',
    settings: { ...DEFAULT_SESSION_SETTINGS, needle: caseFile.procedure.needle, probeId: linear.id },
  });
}
const state = (r: ProcedureRun, id: string) => r.steps().find((s) => s.step.id === id)?.state;

describe('the hip checklist maps the femoral vessels with colour Doppler', () => {
  it('the hip case maps its femoral artery and vein; the lumbar case skips the step', () => {
    expect(vesselsToMap(hip)).toEqual(['femoral-artery', 'femoral-vein']);
    expect(vesselsToMap(lumbar)).toEqual([]);
    expect(state(run(lumbar), 'doppler')).toBe('skipped');
    expect(state(run(hip, 'ct'), 'doppler')).toBe('skipped');
    expect(state(run(hip), 'doppler')).toBe('pending');
  });

  it('completes once both vessels have been inside the colour box, recording the event once', () => {
    const r = run(hip, 'ultrasound');
    r.planReviewed(1000);
    expect(state(r, 'doppler')).toBe('current');
    r.colourDoppler(2000, ['femoral-artery', 'femoral-nerve']);
    expect(r.isDone('doppler')).toBe(false);
    r.colourDoppler(2500, ['femoral-vein']);
    expect(r.isDone('doppler')).toBe(true);
    r.colourDoppler(3000, ['femoral-artery', 'femoral-vein']);
    const events = r.record.events.filter((e) => e.kind === 'colour-doppler');
    expect(events).toEqual([{ kind: 'colour-doppler', vesselIds: ['femoral-artery', 'femoral-vein'], t: 2500 }]);
    expect(validateSessionRecord(JSON.parse(JSON.stringify(r.record))).ok).toBe(true);
  });

  it('a box over the bundle in an axial plane holds both lumens; one beside it holds neither', () => {
    // An axial image (x along the array, y the beam) through z = −80, the face at y = −100 over x = −48.
    const s = linear.mmPerPixel;
    const at = (xMm: number) => transformOf('Image', 'Ct', [s, 0, 0, xMm - ((linear.columns - 1) / 2) * s, 0, s, 0, -100, 0, 0, s, -80, 0, 0, 0, 1]);
    const box = { lateralFrom: 0.05, lateralTo: 0.95, depthFromMm: 5, depthToMm: 30 };
    const over = colourDoppler(linear, at(-48), box, caseDopplerVessels(hip), 0);
    expect(vesselsInBox(over, s).sort()).toEqual(['femoral-artery', 'femoral-vein']);
    const beside = colourDoppler(linear, at(-120), box, caseDopplerVessels(hip), 0);
    expect(vesselsInBox(beside, s)).toEqual([]);
  });

  it('the validator accepts sessions without the event (older ones) and explains a broken one', () => {
    const r = run(hip);
    const older = JSON.parse(JSON.stringify(r.record));
    expect(validateSessionRecord(older).ok).toBe(true);
    const broken = { ...older, events: [...older.events, { t: 5, kind: 'colour-doppler', vesselIds: 'femoral-artery' }] };
    const result = validateSessionRecord(broken);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toMatch(/vesselIds: expected a list of vessel ids/);
  });
});
