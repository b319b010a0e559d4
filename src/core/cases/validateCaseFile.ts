import { CASE_SCHEMA, CASE_SCHEMA_VERSION, TISSUE_MEDIA, type CaseFile } from './caseFile';

export type CaseValidation = { readonly ok: true; readonly caseFile: CaseFile } | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Checks a parsed case.json against schema version 1. Every error names the field (as a
 * JSON path) and says what was expected, so an instructor can fix a hand-written file.
 */
export function validateCaseFile(value: unknown): CaseValidation {
  const errors: string[] = [];
  const check = new Checker(errors);
  if (!isObject(value)) return { ok: false, errors: ['the file is not a JSON object'] };
  if (value.schema !== CASE_SCHEMA) errors.push(`schema: expected "${CASE_SCHEMA}", found ${JSON.stringify(value.schema)}`);
  if (value.schemaVersion !== CASE_SCHEMA_VERSION) {
    errors.push(`schemaVersion: this simulator reads version ${CASE_SCHEMA_VERSION}, found ${JSON.stringify(value.schemaVersion)}`);
  }
  check.text(value, 'id');
  check.text(value, 'title');
  check.text(value, 'description');
  const series = check.object(value, 'series');
  if (series) {
    check.text(series, 'seriesInstanceUid', 'series.');
    check.text(series, 'patientPosition', 'series.');
  }
  check.array(value, 'targets', (target, path) => {
    check.text(target, 'id', path);
    check.text(target, 'name', path);
    check.oneOf(target, 'priority', ['primary', 'secondary'], path);
    check.point(target, 'centre', path);
    check.positive(target, 'acceptanceRadiusMm', path);
  });
  check.array(value, 'avoid', (structure, path) => {
    check.text(structure, 'id', path);
    check.text(structure, 'name', path);
    check.oneOf(structure, 'kind', ['nerve', 'dural-sac', 'artery', 'vein', 'bowel', 'other'], path);
    check.shape(structure, path);
    if (structure.acoustic !== undefined) {
      const acoustic = check.object(structure, 'acoustic', path);
      if (!acoustic) return;
      check.oneOf(acoustic, 'medium', ['blood', 'fluid', 'gas'], `${path}acoustic.`);
      if (acoustic.pulsation !== undefined) {
        const pulsation = check.object(acoustic, 'pulsation', `${path}acoustic.`);
        if (pulsation) {
          check.positive(pulsation, 'beatsPerMinute', `${path}acoustic.pulsation.`);
          check.positive(pulsation, 'radiusChangeMm', `${path}acoustic.pulsation.`);
        }
      }
    }
  });
  if (value.feedbackRegions !== undefined) {
    const seen = new Map<string, number>();
    check.array(value, 'feedbackRegions', (region, path, index) => {
      check.text(region, 'id', path);
      check.text(region, 'name', path);
      check.oneOf(region, 'kind', ['disc', 'joint-capsule', 'other'], path);
      check.shape(region, path);
      if (typeof region.id === 'string') {
        const first = seen.get(region.id);
        if (first !== undefined) errors.push(`${path}id: "${region.id}" is already the id of feedbackRegions[${first}]; give each region its own id`);
        else seen.set(region.id, index);
      }
    });
  }
  const fiducials = check.object(value, 'fiducials');
  if (fiducials) {
    if (fiducials.marker !== undefined) {
      const marker = check.object(fiducials, 'marker', 'fiducials.');
      if (marker) {
        check.text(marker, 'name', 'fiducials.marker.');
        check.positive(marker, 'beadDiameterMm', 'fiducials.marker.');
        const inMarker = check.points(marker, 'beadsInMarker', 'fiducials.marker.');
        const inCt = check.points(marker, 'beadsInCt', 'fiducials.marker.');
        if (inMarker && inCt && inMarker !== inCt)
          errors.push(`fiducials.marker: beadsInMarker has ${inMarker} beads but beadsInCt has ${inCt}; list the same beads in the same order`);
        if (inMarker !== undefined && inMarker < 3) errors.push('fiducials.marker.beadsInMarker: at least 3 beads are needed for a rigid registration');
      }
    }
    check.array(
      fiducials,
      'skinMarkers',
      (marker, path) => {
        check.text(marker, 'id', path);
        check.point(marker, 'centre', path);
        check.positive(marker, 'diameterMm', path);
      },
      'fiducials.',
    );
  }
  const procedure = check.object(value, 'procedure');
  if (procedure) {
    check.text(procedure, 'name', 'procedure.');
    check.text(procedure, 'approach', 'procedure.');
    const probe = check.object(procedure, 'probe', 'procedure.');
    if (probe) {
      check.oneOf(probe, 'type', ['curvilinear', 'linear'], 'procedure.probe.');
      check.positive(probe, 'frequencyMHz', 'procedure.probe.');
      if (probe.gainDb !== undefined && (typeof probe.gainDb !== 'number' || !Number.isFinite(probe.gainDb) || probe.gainDb < 0 || probe.gainDb > 60))
        errors.push(`procedure.probe.gainDb: expected a gain in dB from 0 to 60, found ${JSON.stringify(probe.gainDb)}`);
    }
    const needle = check.object(procedure, 'needle', 'procedure.');
    if (needle) {
      check.positive(needle, 'gauge', 'procedure.needle.');
      check.positive(needle, 'lengthMm', 'procedure.needle.');
      check.text(needle, 'type', 'procedure.needle.');
    }
    if (procedure.suggestedEntry !== undefined) check.point(procedure, 'suggestedEntry', 'procedure.');
  }
  if (value.tissues !== undefined) {
    check.array(value, 'tissues', (tissue, path) => {
      check.text(tissue, 'name', path);
      // Blood, fluid and gas belong to a structure's `acoustic` override, not here.
      check.oneOf(tissue, 'medium', TISSUE_MEDIA, path);
      check.shape(tissue, path);
      if (tissue.fibreAxis !== undefined) check.direction(tissue, 'fibreAxis', path);
    });
  }
  if (value.landmarks !== undefined) {
    check.array(value, 'landmarks', (landmark, path) => {
      check.text(landmark, 'id', path);
      check.text(landmark, 'name', path);
      check.point(landmark, 'point', path);
    });
  }
  return errors.length === 0 ? { ok: true, caseFile: value as unknown as CaseFile } : { ok: false, errors };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPoint = (v: unknown): boolean => Array.isArray(v) && v.length === 3 && v.every((n) => typeof n === 'number' && Number.isFinite(n));

class Checker {
  constructor(private readonly errors: string[]) {}

  text(o: Json, key: string, path = ''): void {
    if (typeof o[key] !== 'string' || (o[key] as string).trim() === '') this.errors.push(`${path}${key}: expected a non-empty string`);
  }

  positive(o: Json, key: string, path = ''): void {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) this.errors.push(`${path}${key}: expected a positive number, found ${JSON.stringify(v)}`);
  }

  point(o: Json, key: string, path = ''): void {
    if (!isPoint(o[key])) this.errors.push(`${path}${key}: expected [x, y, z] in mm (three finite numbers), found ${JSON.stringify(o[key])}`);
  }

  /** A direction: three finite numbers, not all zero (any length). */
  direction(o: Json, key: string, path = ''): void {
    const v = o[key];
    if (!isPoint(v) || (v as number[]).every((n) => n === 0))
      this.errors.push(`${path}${key}: expected a direction [x, y, z] in LPS (three finite numbers, not all zero), found ${JSON.stringify(v)}`);
  }

  /** Returns the number of points, or undefined when the field is wrong. */
  points(o: Json, key: string, path = '', exactly?: number): number | undefined {
    const v = o[key];
    if (!Array.isArray(v) || v.length === 0 || !v.every(isPoint) || (exactly !== undefined && v.length !== exactly)) {
      this.errors.push(`${path}${key}: expected ${exactly ?? 'a list of'} [x, y, z] points`);
      return undefined;
    }
    return v.length;
  }

  /** An AnalyticShape under `o.shape` (sphere, tube or ellipsoid, Ct mm). */
  shape(o: Json, path = ''): void {
    const shape = this.object(o, 'shape', path);
    if (!shape) return;
    const shapePath = `${path}shape.`;
    const type = this.oneOf(shape, 'type', ['sphere', 'tube', 'ellipsoid'], shapePath);
    if (type === 'sphere') {
      this.point(shape, 'centre', shapePath);
      this.positive(shape, 'radiusMm', shapePath);
    } else if (type === 'tube') {
      this.points(shape, 'points', shapePath);
      this.positive(shape, 'radiusMm', shapePath);
    } else if (type === 'ellipsoid') {
      this.point(shape, 'centre', shapePath);
      this.points(shape, 'axes', shapePath, 3);
      this.point(shape, 'radiiMm', shapePath);
      const radii = shape.radiiMm;
      if (isPoint(radii) && (radii as number[]).some((r) => r <= 0)) this.errors.push(`${shapePath}radiiMm: expected three positive radii in mm, found ${JSON.stringify(radii)}`);
    }
  }

  oneOf(o: Json, key: string, allowed: readonly string[], path = ''): string | undefined {
    const v = o[key];
    if (typeof v !== 'string' || !allowed.includes(v)) {
      this.errors.push(`${path}${key}: expected one of ${allowed.map((a) => `"${a}"`).join(', ')}, found ${JSON.stringify(v)}`);
      return undefined;
    }
    return v;
  }

  object(o: Json, key: string, path = ''): Json | undefined {
    if (!isObject(o[key])) {
      this.errors.push(`${path}${key}: expected an object`);
      return undefined;
    }
    return o[key] as Json;
  }

  array(o: Json, key: string, each: (item: Json, path: string, index: number) => void, path = ''): void {
    const v = o[key];
    if (!Array.isArray(v)) {
      this.errors.push(`${path}${key}: expected a list`);
      return;
    }
    v.forEach((item, index) => {
      const itemPath = `${path}${key}[${index}].`;
      if (!isObject(item)) this.errors.push(`${itemPath.slice(0, -1)}: expected an object`);
      else each(item, itemPath, index);
    });
  }
}
