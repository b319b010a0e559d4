import type { Vec3 } from '../geometry/vec3';
import type { AcousticOverride } from '../ultrasound/acousticRegions';
import { CASE_SCHEMA, CASE_SCHEMA_VERSION, type AvoidStructure, type CaseFile, type CaseTarget, type Fiducials } from './caseFile';

/**
 * A case being written by an instructor for the CT on screen: the case file as it stands (it
 * may not be valid yet: empty title, no target) and the points of a tube structure being drawn.
 * Every function here is pure: it returns a new draft and never changes the one it was given,
 * so the app can autosave each step and a test can compare before and after.
 *
 * Points are Ct (DICOM LPS, mm), rounded to 0.01 mm as they are added (far below a voxel; the
 * file stays readable). Invalid edits (a tube of one point, a duplicate id) throw an Error whose
 * message says what to do instead.
 */
export interface CaseDraft {
  readonly caseFile: CaseFile;
  /** The tube being drawn, point by point at the crosshair (Ct mm); empty when none is. */
  readonly tubePoints: readonly Vec3[];
}

export type AvoidKind = AvoidStructure['kind'];
export const AVOID_KINDS: readonly AvoidKind[] = ['nerve', 'dural-sac', 'artery', 'vein', 'bowel', 'other'];

/** Case files list coordinates to 0.01 mm. */
export const roundToHundredth = (p: Vec3): Vec3 => [round2(p[0]), round2(p[1]), round2(p[2])];
const round2 = (v: number): number => Math.round(v * 100) / 100;

/** An empty draft for a series: the procedure's numbers preset to a 22 G spinal needle and a curvilinear probe. */
export function newDraft(series: { readonly seriesInstanceUid: string; readonly patientPosition: string }): CaseDraft {
  return {
    caseFile: {
      schema: CASE_SCHEMA,
      schemaVersion: CASE_SCHEMA_VERSION,
      id: 'new-case',
      title: '',
      description: '',
      series: { seriesInstanceUid: series.seriesInstanceUid, patientPosition: series.patientPosition },
      targets: [],
      avoid: [],
      fiducials: { skinMarkers: [] },
      procedure: {
        name: '',
        approach: '',
        probe: { type: 'curvilinear', frequencyMHz: 3.5 },
        needle: { gauge: 22, lengthMm: 150, type: 'spinal' },
      },
    },
    tubePoints: [],
  };
}

/** A draft that starts as a copy of a case file (deep: the draft never shares arrays with the open case), made for `seriesInstanceUid`. */
export function draftFromCase(caseFile: CaseFile, seriesInstanceUid = caseFile.series.seriesInstanceUid): CaseDraft {
  const copy = JSON.parse(JSON.stringify(caseFile)) as CaseFile;
  return { caseFile: { ...copy, series: { ...copy.series, seriesInstanceUid } }, tubePoints: [] };
}

const withCase = (draft: CaseDraft, caseFile: CaseFile): CaseDraft => ({ ...draft, caseFile });

export interface DetailsPatch {
  readonly id?: string;
  readonly title?: string;
  readonly description?: string;
  readonly patientPosition?: string;
}

export function withDetails(draft: CaseDraft, patch: DetailsPatch): CaseDraft {
  const { patientPosition, ...text } = patch;
  const c = draft.caseFile;
  return withCase(draft, { ...c, ...text, series: patientPosition === undefined ? c.series : { ...c.series, patientPosition } });
}

export interface ProcedurePatch {
  readonly name?: string;
  readonly approach?: string;
  readonly probeType?: 'curvilinear' | 'linear';
  readonly frequencyMHz?: number;
  readonly needleGauge?: number;
  readonly needleLengthMm?: number;
  readonly needleType?: string;
}

export function withProcedure(draft: CaseDraft, patch: ProcedurePatch): CaseDraft {
  const p = draft.caseFile.procedure;
  return withCase(draft, {
    ...draft.caseFile,
    procedure: {
      ...p,
      name: patch.name ?? p.name,
      approach: patch.approach ?? p.approach,
      probe: { type: patch.probeType ?? p.probe.type, frequencyMHz: patch.frequencyMHz ?? p.probe.frequencyMHz },
      needle: { gauge: patch.needleGauge ?? p.needle.gauge, lengthMm: patch.needleLengthMm ?? p.needle.lengthMm, type: patch.needleType ?? p.needle.type },
    },
  });
}

/** The suggested skin entry (Ct mm), or undefined to remove it. */
export function setSuggestedEntry(draft: CaseDraft, pointInCt: Vec3 | undefined): CaseDraft {
  const { suggestedEntry: _dropped, ...procedure } = draft.caseFile.procedure;
  return withCase(draft, { ...draft.caseFile, procedure: pointInCt ? { ...procedure, suggestedEntry: roundToHundredth(pointInCt) } : procedure });
}

/** A lower-case id made of the name ("L4–L5 disc" → "l4-l5-disc"), made unique among `taken` by a -2, -3… suffix. */
export function uniqueId(name: string, taken: readonly string[], fallback: string): string {
  const base =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || fallback;
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

const requireName = (name: string, what: string): string => {
  const trimmed = name.trim();
  if (trimmed === '') throw new Error(`give the ${what} a name first`);
  return trimmed;
};

const requirePositive = (value: number, what: string): number => {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${what} must be a positive number of millimetres`);
  return value;
};

// ---- Targets ---------------------------------------------------------------------------

export interface NewTarget {
  readonly name: string;
  readonly priority: CaseTarget['priority'];
  readonly centre: Vec3;
  readonly acceptanceRadiusMm: number;
}

export function addTarget(draft: CaseDraft, target: NewTarget): CaseDraft {
  const name = requireName(target.name, 'target');
  const c = draft.caseFile;
  const added: CaseTarget = {
    id: uniqueId(
      name,
      c.targets.map((t) => t.id),
      'target',
    ),
    name,
    priority: target.priority,
    centre: roundToHundredth(target.centre),
    acceptanceRadiusMm: requirePositive(target.acceptanceRadiusMm, 'the acceptance radius'),
  };
  return withCase(draft, { ...c, targets: [...c.targets, added] });
}

export function updateTarget(draft: CaseDraft, id: string, patch: Partial<Pick<CaseTarget, 'name' | 'priority' | 'acceptanceRadiusMm'>>): CaseDraft {
  if (patch.name !== undefined) requireName(patch.name, 'target');
  if (patch.acceptanceRadiusMm !== undefined) requirePositive(patch.acceptanceRadiusMm, 'the acceptance radius');
  const c = draft.caseFile;
  return withCase(draft, { ...c, targets: replaceById(c.targets, id, (t) => ({ ...t, ...patch, name: patch.name?.trim() ?? t.name })) });
}

export function removeTarget(draft: CaseDraft, id: string): CaseDraft {
  const c = draft.caseFile;
  return withCase(draft, { ...c, targets: c.targets.filter((t) => t.id !== id) });
}

// ---- Structures to avoid ---------------------------------------------------------------

/**
 * How the ultrasound shows a structure of this kind when its HU would mislead: a vessel's
 * lumen is anechoic (unenhanced blood reads 40–50 HU, like muscle); an artery pulsates,
 * its radius swinging by 8 % at 70 beats a minute (the bundled aorta: 10 mm, 0.8 mm).
 */
export function defaultAcoustic(kind: AvoidKind, radiusMm: number): AcousticOverride | undefined {
  if (kind === 'artery') return { medium: 'blood', pulsation: { beatsPerMinute: 70, radiusChangeMm: Math.max(0.05, round2(0.08 * radiusMm)) } };
  if (kind === 'vein') return { medium: 'blood' };
  return undefined;
}

function structure(draft: CaseDraft, name: string, kind: AvoidKind, shape: AvoidStructure['shape'], radiusMm: number): AvoidStructure {
  const acoustic = defaultAcoustic(kind, radiusMm);
  return {
    id: uniqueId(
      name,
      draft.caseFile.avoid.map((a) => a.id),
      'structure',
    ),
    name,
    kind,
    shape,
    ...(acoustic ? { acoustic } : {}),
  };
}

export interface NewSphere {
  readonly name: string;
  readonly kind: AvoidKind;
  readonly centre: Vec3;
  readonly radiusMm: number;
}

export function addSphere(draft: CaseDraft, sphere: NewSphere): CaseDraft {
  const name = requireName(sphere.name, 'structure');
  const radiusMm = requirePositive(sphere.radiusMm, 'the radius');
  const c = draft.caseFile;
  const added = structure(draft, name, sphere.kind, { type: 'sphere', centre: roundToHundredth(sphere.centre), radiusMm }, radiusMm);
  return withCase(draft, { ...c, avoid: [...c.avoid, added] });
}

/** Points closer than this (mm) are one point: the crosshair did not move between two clicks. */
const SAME_POINT_MM = 0.01;

/** Adds the next point of the tube being drawn; refuses the same point twice in a row. */
export function addTubePoint(draft: CaseDraft, pointInCt: Vec3): CaseDraft {
  const point = roundToHundredth(pointInCt);
  const last = draft.tubePoints[draft.tubePoints.length - 1];
  if (last && Math.hypot(point[0] - last[0], point[1] - last[1], point[2] - last[2]) < SAME_POINT_MM) {
    throw new Error('the crosshair is still on the last point of the tube: move it along the structure, then add the next point');
  }
  return { ...draft, tubePoints: [...draft.tubePoints, point] };
}

export const cancelTube = (draft: CaseDraft): CaseDraft => ({ ...draft, tubePoints: [] });

/** A tube through successive points (the centre line) with a radius; consecutive repeats are dropped. */
export function tubeFromPoints(points: readonly Vec3[], radiusMm: number): Extract<AvoidStructure['shape'], { type: 'tube' }> {
  const distinct: Vec3[] = [];
  for (const p of points.map(roundToHundredth)) {
    const last = distinct[distinct.length - 1];
    if (!last || Math.hypot(p[0] - last[0], p[1] - last[1], p[2] - last[2]) >= SAME_POINT_MM) distinct.push(p);
  }
  if (distinct.length < 2) {
    throw new Error(
      `a tube needs at least 2 different points along its centre line (it has ${distinct.length}): move the crosshair along the structure and add points, or add a sphere instead`,
    );
  }
  return { type: 'tube', points: distinct, radiusMm: requirePositive(radiusMm, 'the radius') };
}

/** Turns the points drawn so far into a tube structure and starts afresh. */
export function finishTube(draft: CaseDraft, tube: { readonly name: string; readonly kind: AvoidKind; readonly radiusMm: number }): CaseDraft {
  const name = requireName(tube.name, 'structure');
  const shape = tubeFromPoints(draft.tubePoints, tube.radiusMm);
  const c = draft.caseFile;
  return { caseFile: { ...c, avoid: [...c.avoid, structure(draft, name, tube.kind, shape, shape.radiusMm)] }, tubePoints: [] };
}

/** Renames a structure or changes its kind (which resets its acoustic override to the kind's default). */
export function updateAvoid(draft: CaseDraft, id: string, patch: { readonly name?: string; readonly kind?: AvoidKind }): CaseDraft {
  if (patch.name !== undefined) requireName(patch.name, 'structure');
  const c = draft.caseFile;
  return withCase(draft, {
    ...c,
    avoid: replaceById(c.avoid, id, (a) => {
      const renamed = { ...a, name: patch.name?.trim() ?? a.name };
      if (patch.kind === undefined || patch.kind === a.kind) return renamed;
      const { acoustic: _old, ...rest } = renamed;
      const acoustic = defaultAcoustic(patch.kind, 'radiusMm' in a.shape ? a.shape.radiusMm : Math.max(...a.shape.radiiMm));
      return { ...rest, kind: patch.kind, ...(acoustic ? { acoustic } : {}) };
    }),
  });
}

export function removeAvoid(draft: CaseDraft, id: string): CaseDraft {
  const c = draft.caseFile;
  return withCase(draft, { ...c, avoid: c.avoid.filter((a) => a.id !== id) });
}

// ---- Fiducials -------------------------------------------------------------------------

type SkinMarker = Fiducials['skinMarkers'][number];

/** Adds a skin marker named S1, S2… (the first free number). */
export function addSkinMarker(draft: CaseDraft, centre: Vec3, diameterMm: number): CaseDraft {
  const f = draft.caseFile.fiducials;
  const ids = f.skinMarkers.map((m) => m.id);
  let n = 1;
  while (ids.includes(`S${n}`)) n++;
  const added: SkinMarker = { id: `S${n}`, centre: roundToHundredth(centre), diameterMm: requirePositive(diameterMm, 'the marker diameter') };
  return withFiducials(draft, { ...f, skinMarkers: [...f.skinMarkers, added] });
}

/** Skin markers are named by their id (what the trainee reads on the stylus prompt): renaming changes the id. */
export function renameSkinMarker(draft: CaseDraft, id: string, newId: string): CaseDraft {
  const name = requireName(newId, 'skin marker');
  const f = draft.caseFile.fiducials;
  if (name !== id && f.skinMarkers.some((m) => m.id === name)) throw new Error(`another skin marker is already called "${name}": choose another name`);
  return withFiducials(draft, { ...f, skinMarkers: replaceById(f.skinMarkers, id, (m) => ({ ...m, id: name })) });
}

export function removeSkinMarker(draft: CaseDraft, id: string): CaseDraft {
  const f = draft.caseFile.fiducials;
  return withFiducials(draft, { ...f, skinMarkers: f.skinMarkers.filter((m) => m.id !== id) });
}

/** The external marker (its geometry and its beads found on this CT), or undefined to remove it. */
export function setMarker(draft: CaseDraft, marker: Fiducials['marker']): CaseDraft {
  const { marker: _dropped, ...f } = draft.caseFile.fiducials;
  return withFiducials(draft, marker ? { ...f, marker: { ...marker, beadsInCt: marker.beadsInCt.map(roundToHundredth) } } : f);
}

const withFiducials = (draft: CaseDraft, fiducials: Fiducials): CaseDraft => withCase(draft, { ...draft.caseFile, fiducials });

function replaceById<T extends { readonly id: string }>(items: readonly T[], id: string, change: (item: T) => T): T[] {
  if (!items.some((item) => item.id === id)) throw new Error(`no item "${id}" in the draft (it was removed?)`);
  return items.map((item) => (item.id === id ? change(item) : item));
}
