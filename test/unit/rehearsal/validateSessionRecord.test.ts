import { describe, expect, it } from 'vitest';
import { validateSessionRecord } from '../../../src/core/rehearsal/validateSessionRecord';
import { handSession } from '../fixtures/handComputedSession';

/**
 * Parsed JSON that each test breaks in one place (`j.samples[4].t = 2500`): the point is that its
 * shape need not be a session's, so it is not typed as one.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LooseJson = Record<string, any>;

/** The hand-computed session as a file would hold it, with `edit` applied to the parsed JSON. */
function withEdit(edit: (json: LooseJson) => void): unknown {
  const json = JSON.parse(JSON.stringify(handSession)) as LooseJson;
  edit(json);
  return json;
}
const errorsOf = (value: unknown): readonly string[] => {
  const result = validateSessionRecord(value);
  return result.ok ? [] : result.errors;
};

describe('validateSessionRecord', () => {
  it('accepts a valid version 1 session (after a JSON round trip)', () => {
    const result = validateSessionRecord(JSON.parse(JSON.stringify(handSession)));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.record).toEqual(handSession);
  });

  it('rejects what is not a JSON object', () => {
    expect(errorsOf([1, 2])[0]).toMatch(/^the file is not a JSON object \(found a list of 2\)/);
    expect(errorsOf(null)[0]).toMatch(/not a JSON object/);
  });

  it('names a wrong schema and version, and tells a newer file apart', () => {
    expect(errorsOf(withEdit((j) => (j.schema = 'us-ct-fusion-case')))).toEqual(['schema: expected "us-ct-fusion-session", found "us-ct-fusion-case"; is this a session file?']);
    expect(errorsOf(withEdit((j) => (j.schemaVersion = 2)))).toEqual([
      'schemaVersion: this simulator reads version 1, found 2; the file was written by a newer simulator: update this one',
    ]);
    expect(errorsOf(withEdit((j) => delete j.schemaVersion))).toEqual(['schemaVersion: this simulator reads version 1, found nothing']);
  });

  it('lists each missing or wrong required field by its path', () => {
    const errors = errorsOf(
      withEdit((j) => {
        delete j.caseId;
        j.mode = 'robot';
        j.startedAt = 'yesterday';
        j.settings.needle.gauge = 0;
        delete j.settings.probeId;
      }),
    );
    expect(errors).toEqual([
      'caseId: expected a non-empty string, found nothing',
      'mode: expected one of "fusion", "ultrasound", "ct", found "robot"',
      'startedAt: expected an ISO 8601 date and time such as "2024-05-02T09:30:00.000Z", found "yesterday"',
      'settings.needle.gauge: expected a positive number, found 0',
      'settings.probeId: expected a non-empty string, found nothing',
    ]);
  });

  it('requires samples and events in time order', () => {
    expect(errorsOf(withEdit((j) => (j.samples[4].t = 2500)))).toEqual(['samples[4].t: 2500 ms comes before samples[3].t = 3000 ms; samples must be in time order']);
    expect(errorsOf(withEdit((j) => (j.events[3].t = 100)))).toEqual(['events[3].t: 100 ms comes before events[2].t = 500 ms; events must be in time order']);
    expect(errorsOf(withEdit((j) => (j.samples[0].t = -1)))).toEqual(['samples[0].t: expected a time in ms since the start (a number ≥ 0), found -1']);
    expect(errorsOf(withEdit((j) => (j.events = {})))).toEqual(['events: expected a list, found an object']);
  });

  it('requires 4×4 transforms of 16 numbers and needles with a tip and a hub', () => {
    expect(errorsOf(withEdit((j) => j.samples[1].probeToCt.pop()))).toEqual(['samples[1].probeToCt: expected a row-major 4×4 matrix (16 finite numbers), found 15 values']);
    expect(errorsOf(withEdit((j) => (j.samples[2].imageToCt[3] = 'x')))).toEqual([
      'samples[2].imageToCt: expected a row-major 4×4 matrix (16 finite numbers), found a value that is not a finite number',
    ]);
    expect(errorsOf(withEdit((j) => delete j.samples[2].needle.hub))).toEqual(['samples[2].needle.hub: expected [x, y, z] in Ct mm (three finite numbers), found nothing']);
    expect(errorsOf(withEdit((j) => (j.samples[2].needle.hub = j.samples[2].needle.tip)))).toEqual([
      'samples[2].needle: tip and hub are the same point, so the shaft has no direction',
    ]);
    expect(errorsOf(withEdit((j) => (j.samples[2].insertedMm = -2)))).toEqual(['samples[2].insertedMm: expected a number ≥ 0, found -2']);
  });

  it('checks event kinds and each kind’s fields', () => {
    expect(errorsOf(withEdit((j) => (j.events[4].kind = 'bone')))).toEqual([
      'events[4].kind: expected one of "planning-ct", "step-done", "registration", "skin-puncture", "needle-out", "redirection", "bone-contact", "resistance", "warning", "breach", "ct-pass", "injection", "finished", "colour-doppler", found "bone"',
    ]);
    expect(
      errorsOf(
        withEdit((j) => {
          delete j.events[8].tip;
          j.events[8].medium = 'ozone';
          j.events[1].step = 'dance';
          j.events[2].trueTreMm = null;
        }),
      ),
    ).toEqual([
      'events[1].step: expected one of "case", "plan", "register", "doppler", "scan", "insert", "confirm", "inject", "final-ct", "report", found "dance"',
      'events[2].trueTreMm: expected a number ≥ 0, found null',
      'events[8].tip: expected [x, y, z] in Ct mm (three finite numbers), found nothing',
      'events[8].medium: expected one of "gas", "fluid", found "ozone"',
    ]);
  });

  it('lists at most 30 errors and says how many more there are', () => {
    const errors = errorsOf(
      withEdit((j) => {
        j.samples = Array.from({ length: 50 }, (_, i) => ({ t: i, insertedMm: -1 }));
      }),
    );
    expect(errors).toHaveLength(31);
    expect(errors[30]).toBe('… and 20 more errors');
  });
});
