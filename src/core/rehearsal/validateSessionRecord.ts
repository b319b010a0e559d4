import { SESSION_SCHEMA, SESSION_SCHEMA_VERSION, type SessionRecord } from './sessionRecord';

export type SessionValidation = { readonly ok: true; readonly record: SessionRecord } | { readonly ok: false; readonly errors: readonly string[] };

/** At most this many errors are listed (a file with 10 000 broken samples would bury the first one). */
const MAX_ERRORS = 30;

const GUIDANCE_MODES = ['fusion', 'ultrasound', 'ct'] as const;
const STEPS = ['case', 'plan', 'register', 'doppler', 'scan', 'insert', 'confirm', 'inject', 'final-ct', 'report'] as const;
const EVENT_KINDS = [
  'planning-ct',
  'step-done',
  'registration',
  'skin-puncture',
  'needle-out',
  'redirection',
  'bone-contact',
  'resistance',
  'warning',
  'breach',
  'ct-pass',
  'injection',
  'finished',
  'colour-doppler',
] as const;

/**
 * Checks a parsed session file against schema version 1 (src/core/rehearsal/sessionRecord.ts,
 * docs/session-format.md). Every error names the field as a JSON path (`samples[3].probeToCt`)
 * and says what was expected and what was found, so a broken or hand-edited file can be fixed.
 */
export function validateSessionRecord(value: unknown): SessionValidation {
  const errors: string[] = [];
  if (!isObject(value)) return { ok: false, errors: [`the file is not a JSON object (found ${describe(value)}); a session file starts with {"schema": "${SESSION_SCHEMA}", …}`] };
  const check = new Checker(errors);
  if (value.schema !== SESSION_SCHEMA) errors.push(`schema: expected "${SESSION_SCHEMA}", found ${describe(value.schema)}; is this a session file?`);
  if (value.schemaVersion !== SESSION_SCHEMA_VERSION) {
    const newer = typeof value.schemaVersion === 'number' && value.schemaVersion > SESSION_SCHEMA_VERSION;
    errors.push(
      `schemaVersion: this simulator reads version ${SESSION_SCHEMA_VERSION}, found ${describe(value.schemaVersion)}${newer ? '; the file was written by a newer simulator: update this one' : ''}`,
    );
  }
  check.text(value, 'id');
  check.text(value, 'caseId');
  check.text(value, 'targetId');
  check.oneOf(value, 'mode', GUIDANCE_MODES);
  check.finite(value, 'seed');
  if (typeof value.startedAt !== 'string' || Number.isNaN(Date.parse(value.startedAt))) {
    errors.push(`startedAt: expected an ISO 8601 date and time such as "2024-05-02T09:30:00.000Z", found ${describe(value.startedAt)}`);
  }

  const settings = check.object(value, 'settings');
  if (settings) {
    const path = 'settings.';
    check.nonNegative(settings, 'dlpPerPassMGyCm', path);
    check.nonNegative(settings, 'effectiveDosePerDlp', path);
    check.nonNegative(settings, 'avoidMarginMm', path);
    const needle = check.object(settings, 'needle', path);
    if (needle) {
      check.positive(needle, 'gauge', `${path}needle.`);
      check.positive(needle, 'lengthMm', `${path}needle.`);
    }
    check.text(settings, 'probeId', path);
  }

  check.timeOrderedList(value, 'samples', (sample, path) => {
    if (sample.probeToCt !== undefined) check.matrix(sample, 'probeToCt', path);
    if (sample.imageToCt !== undefined) check.matrix(sample, 'imageToCt', path);
    if (sample.needle !== undefined) check.needle(sample, 'needle', path);
    check.nonNegative(sample, 'insertedMm', path);
  });

  check.timeOrderedList(value, 'events', (event, path) => {
    const kind = check.oneOf(event, 'kind', EVENT_KINDS, path);
    switch (kind) {
      case 'step-done':
        check.oneOf(event, 'step', STEPS, path);
        break;
      case 'registration':
        check.oneOf(event, 'method', ['marker', 'point-pairs', 'plane-point'], path);
        check.nonNegative(event, 'freMm', path);
        check.nonNegative(event, 'predictedTreMm', path);
        check.nonNegative(event, 'trueTreMm', path);
        break;
      case 'skin-puncture':
        check.point(event, 'entry', path);
        break;
      case 'redirection':
        check.nonNegative(event, 'angleDeg', path);
        check.nonNegative(event, 'depthMm', path);
        break;
      case 'bone-contact':
        check.point(event, 'point', path);
        break;
      case 'resistance':
        check.text(event, 'regionId', path);
        check.text(event, 'name', path);
        break;
      case 'warning':
        check.text(event, 'structureId', path);
        check.finite(event, 'distanceMm', path);
        break;
      case 'breach':
        check.text(event, 'structureId', path);
        check.text(event, 'name', path);
        check.point(event, 'point', path);
        break;
      case 'ct-pass':
        if (event.needle !== undefined) check.needle(event, 'needle', path);
        break;
      case 'injection':
        check.point(event, 'tip', path);
        check.nonNegative(event, 'volumeMl', path);
        check.oneOf(event, 'medium', ['gas', 'fluid'], path);
        break;
      case 'colour-doppler':
        if (!Array.isArray(event.vesselIds) || !event.vesselIds.every((id) => typeof id === 'string' && id.length > 0))
          errors.push(`${path}vesselIds: expected a list of vessel ids (text), found ${describe(event.vesselIds)}`);
        break;
      default: // planning-ct, needle-out, finished: nothing but t and kind
    }
  });

  if (errors.length === 0) return { ok: true, record: value as unknown as SessionRecord };
  return { ok: false, errors: errors.length > MAX_ERRORS ? [...errors.slice(0, MAX_ERRORS), `… and ${errors.length - MAX_ERRORS} more errors`] : errors };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isPoint = (v: unknown): boolean => Array.isArray(v) && v.length === 3 && v.every(isFiniteNumber);

/** A short description of a wrong value for a message (never the whole of a long array). */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (isObject(v)) return 'an object';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

class Checker {
  constructor(private readonly errors: string[]) {}

  text(o: Json, key: string, path = ''): void {
    if (typeof o[key] !== 'string' || (o[key] as string).trim() === '') this.errors.push(`${path}${key}: expected a non-empty string, found ${describe(o[key])}`);
  }

  finite(o: Json, key: string, path = ''): void {
    if (!isFiniteNumber(o[key])) this.errors.push(`${path}${key}: expected a number, found ${describe(o[key])}`);
  }

  nonNegative(o: Json, key: string, path = ''): void {
    const v = o[key];
    if (!isFiniteNumber(v) || v < 0) this.errors.push(`${path}${key}: expected a number ≥ 0, found ${describe(v)}`);
  }

  positive(o: Json, key: string, path = ''): void {
    const v = o[key];
    if (!isFiniteNumber(v) || v <= 0) this.errors.push(`${path}${key}: expected a positive number, found ${describe(v)}`);
  }

  point(o: Json, key: string, path = ''): boolean {
    if (isPoint(o[key])) return true;
    this.errors.push(`${path}${key}: expected [x, y, z] in Ct mm (three finite numbers), found ${describe(o[key])}`);
    return false;
  }

  /** A row-major 4×4 transform: 16 finite numbers. */
  matrix(o: Json, key: string, path = ''): void {
    const v = o[key];
    if (!Array.isArray(v) || v.length !== 16 || !v.every(isFiniteNumber)) {
      const what = Array.isArray(v) ? (v.length !== 16 ? `${v.length} values` : 'a value that is not a finite number') : describe(v);
      this.errors.push(`${path}${key}: expected a row-major 4×4 matrix (16 finite numbers), found ${what}`);
    }
  }

  needle(o: Json, key: string, path = ''): void {
    const needle = this.object(o, key, path);
    if (!needle) return;
    const tipOk = this.point(needle, 'tip', `${path}${key}.`);
    const hubOk = this.point(needle, 'hub', `${path}${key}.`);
    if (tipOk && hubOk && (needle.tip as number[]).every((c, i) => c === (needle.hub as number[])[i])) {
      this.errors.push(`${path}${key}: tip and hub are the same point, so the shaft has no direction`);
    }
  }

  oneOf<T extends string>(o: Json, key: string, allowed: readonly T[], path = ''): T | undefined {
    const v = o[key];
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.errors.push(`${path}${key}: expected one of ${allowed.map((a) => `"${a}"`).join(', ')}, found ${describe(v)}`);
      return undefined;
    }
    return v as T;
  }

  object(o: Json, key: string, path = ''): Json | undefined {
    if (!isObject(o[key])) {
      this.errors.push(`${path}${key}: expected an object, found ${describe(o[key])}`);
      return undefined;
    }
    return o[key] as Json;
  }

  /** A list of objects each with a time `t` (ms, ≥ 0), in non-decreasing time order. */
  timeOrderedList(o: Json, key: string, each: (item: Json, path: string) => void): void {
    const v = o[key];
    if (!Array.isArray(v)) {
      this.errors.push(`${key}: expected a list, found ${describe(v)}`);
      return;
    }
    let previous: { t: number; index: number } | undefined;
    v.forEach((item, index) => {
      const path = `${key}[${index}].`;
      if (!isObject(item)) {
        this.errors.push(`${key}[${index}]: expected an object, found ${describe(item)}`);
        return;
      }
      const t = item.t;
      if (!isFiniteNumber(t) || t < 0) this.errors.push(`${path}t: expected a time in ms since the start (a number ≥ 0), found ${describe(t)}`);
      else {
        if (previous && t < previous.t) this.errors.push(`${path}t: ${t} ms comes before ${key}[${previous.index}].t = ${previous.t} ms; ${key} must be in time order`);
        previous = { t, index };
      }
      each(item, path);
    });
  }
}
