import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaseVolume } from '../../../scripts/lib/readCaseVolume';
import { buildCaseFile } from '../../../src/core/cases/buildCaseFile';
import type { CaseFile } from '../../../src/core/cases/caseFile';
import {
  addSkinMarker,
  addSphere,
  addTarget,
  addTubePoint,
  cancelTube,
  draftFromCase,
  finishTube,
  newDraft,
  removeAvoid,
  removeSkinMarker,
  removeTarget,
  renameSkinMarker,
  setMarker,
  setSuggestedEntry,
  tubeFromPoints,
  uniqueId,
  updateAvoid,
  updateTarget,
  withDetails,
  withProcedure,
  type CaseDraft,
} from '../../../src/core/cases/caseDraft';
import { detectExternalMarker, snapToBrightBlob } from '../../../src/core/cases/fiducialsFromCt';
import { validateCaseFile } from '../../../src/core/cases/validateCaseFile';
import { findBrightBlobs } from '../../../src/core/registration/findBrightBlobs';
import type { Vec3 } from '../../../src/core/geometry/vec3';

const SERIES = { seriesInstanceUid: '1.2.826.0.1.3680043.2.1125.99', patientPosition: 'HFS' };
// Points far from the origin so that a swapped or dropped coordinate shows.
const P: Vec3 = [100.123456, 200.5, 300.004];
const Q: Vec3 = [110, 195.25, 280];
const R: Vec3 = [120, 190, 262.5];

/** A draft with every required field filled in, ready to add items to. */
function described(): CaseDraft {
  const draft = withDetails(newDraft(SERIES), { id: 'my-case', title: 'My case', description: 'Reach the thing.' });
  return withProcedure(draft, { name: 'Injection', approach: 'From the left, in plane' });
}

describe('case draft: details and procedure', () => {
  it('starts empty for the series, with the procedure numbers preset', () => {
    const { caseFile, tubePoints } = newDraft(SERIES);
    expect(caseFile.series).toEqual(SERIES);
    expect(caseFile.targets).toEqual([]);
    expect(caseFile.avoid).toEqual([]);
    expect(caseFile.fiducials).toEqual({ skinMarkers: [] });
    expect(caseFile.procedure.probe).toEqual({ type: 'curvilinear', frequencyMHz: 3.5 });
    expect(caseFile.procedure.needle).toEqual({ gauge: 22, lengthMm: 150, type: 'spinal' });
    expect(tubePoints).toEqual([]);
  });

  it('edits return a new draft and leave the old one as it was', () => {
    const before = newDraft(SERIES);
    const after = withProcedure(withDetails(before, { title: 'T', patientPosition: 'HFP' }), {
      probeType: 'linear',
      frequencyMHz: 7.5,
      needleGauge: 25,
      needleLengthMm: 90,
      needleType: 'Quincke',
    });
    expect(before.caseFile.title).toBe('');
    expect(before.caseFile.series.patientPosition).toBe('HFS');
    expect(after.caseFile.title).toBe('T');
    expect(after.caseFile.series).toEqual({ ...SERIES, patientPosition: 'HFP' });
    expect(after.caseFile.procedure.probe).toEqual({ type: 'linear', frequencyMHz: 7.5 });
    expect(after.caseFile.procedure.needle).toEqual({ gauge: 25, lengthMm: 90, type: 'Quincke' });
  });

  it('sets and clears the suggested entry', () => {
    const withEntry = setSuggestedEntry(newDraft(SERIES), P);
    expect(withEntry.caseFile.procedure.suggestedEntry).toEqual([100.12, 200.5, 300]);
    expect('suggestedEntry' in setSuggestedEntry(withEntry, undefined).caseFile.procedure).toBe(false);
  });

  it('makes readable unique ids from names', () => {
    expect(uniqueId('L4–L5 disc, nucleus centre', [], 'target')).toBe('l4-l5-disc-nucleus-centre');
    expect(uniqueId('Aorta', ['aorta', 'aorta-2'], 'structure')).toBe('aorta-3');
    expect(uniqueId('—', [], 'target')).toBe('target');
  });

  it('copies an open case deeply, for the loaded series', () => {
    const original = buildOk(addTarget(described(), { name: 'Disc', priority: 'primary', centre: P, acceptanceRadiusMm: 5 }));
    const copy = draftFromCase(original, '9.9.9');
    expect(copy.caseFile.series.seriesInstanceUid).toBe('9.9.9');
    expect(copy.caseFile.targets).toEqual(original.targets);
    expect(copy.caseFile.targets).not.toBe(original.targets);
    expect(draftFromCase(original).caseFile.series.seriesInstanceUid).toBe(SERIES.seriesInstanceUid);
  });
});

describe('case draft: targets', () => {
  it('adds at the point given (rounded to 0.01 mm), renames, changes priority and removes', () => {
    let draft = addTarget(described(), { name: ' Disc centre ', priority: 'primary', centre: P, acceptanceRadiusMm: 5 });
    draft = addTarget(draft, { name: 'Disc centre', priority: 'secondary', centre: Q, acceptanceRadiusMm: 3 });
    expect(draft.caseFile.targets.map((t) => t.id)).toEqual(['disc-centre', 'disc-centre-2']);
    const first = draft.caseFile.targets[0]!;
    expect(first.name).toBe('Disc centre');
    expect(first.centre).toEqual([100.12, 200.5, 300]);
    first.centre.forEach((v, i) => expect(Math.abs(v - P[i]!)).toBeLessThanOrEqual(0.005));

    draft = updateTarget(draft, 'disc-centre-2', { name: 'Facet joint', priority: 'primary', acceptanceRadiusMm: 4 });
    expect(draft.caseFile.targets[1]).toMatchObject({ id: 'disc-centre-2', name: 'Facet joint', priority: 'primary', acceptanceRadiusMm: 4 });
    draft = removeTarget(draft, 'disc-centre');
    expect(draft.caseFile.targets.map((t) => t.name)).toEqual(['Facet joint']);
  });

  it('refuses a nameless target, a radius that is not positive, and an unknown id', () => {
    expect(() => addTarget(described(), { name: '  ', priority: 'primary', centre: P, acceptanceRadiusMm: 5 })).toThrow(/give the target a name/);
    expect(() => addTarget(described(), { name: 'T', priority: 'primary', centre: P, acceptanceRadiusMm: Number.NaN })).toThrow(/positive number/);
    expect(() => updateTarget(described(), 'nothing', { name: 'X' })).toThrow(/no item "nothing"/);
  });
});

describe('case draft: structures to avoid', () => {
  it('adds a sphere; an artery gets an anechoic pulsating lumen, a nerve no acoustic override', () => {
    let draft = addSphere(described(), { name: 'Aorta', kind: 'artery', centre: P, radiusMm: 10 });
    draft = addSphere(draft, { name: 'Root', kind: 'nerve', centre: Q, radiusMm: 3 });
    const [aorta, root] = draft.caseFile.avoid;
    expect(aorta).toEqual({
      id: 'aorta',
      name: 'Aorta',
      kind: 'artery',
      shape: { type: 'sphere', centre: [100.12, 200.5, 300], radiusMm: 10 },
      acoustic: { medium: 'blood', pulsation: { beatsPerMinute: 70, radiusChangeMm: 0.8 } },
    });
    expect(root!.acoustic).toBeUndefined();
    draft = updateAvoid(draft, 'root', { name: 'Vena cava', kind: 'vein' });
    expect(draft.caseFile.avoid[1]).toMatchObject({ id: 'root', name: 'Vena cava', kind: 'vein', acoustic: { medium: 'blood' } });
    draft = updateAvoid(draft, 'aorta', { kind: 'other' });
    expect('acoustic' in draft.caseFile.avoid[0]!).toBe(false);
    draft = removeAvoid(draft, 'aorta');
    expect(draft.caseFile.avoid.map((a) => a.id)).toEqual(['root']);
  });

  it('draws a tube point by point at the crosshair and finishes it', () => {
    let draft = addTubePoint(addTubePoint(addTubePoint(described(), P), Q), R);
    expect(draft.tubePoints).toEqual([[100.12, 200.5, 300], Q, R]);
    expect(() => addTubePoint(draft, [120.001, 190.002, 262.5])).toThrow(/still on the last point/);
    draft = finishTube(draft, { name: 'Dural sac', kind: 'dural-sac', radiusMm: 7.5 });
    expect(draft.tubePoints).toEqual([]);
    expect(draft.caseFile.avoid[0]).toEqual({
      id: 'dural-sac',
      name: 'Dural sac',
      kind: 'dural-sac',
      shape: { type: 'tube', points: [[100.12, 200.5, 300], Q, R], radiusMm: 7.5 },
    });
    expect(cancelTube(addTubePoint(draft, P)).tubePoints).toEqual([]);
  });

  it('builds a tube from points, dropping repeats, and refuses fewer than two distinct points', () => {
    expect(tubeFromPoints([P, P, Q, Q, R], 2)).toEqual({ type: 'tube', points: [[100.12, 200.5, 300], Q, R], radiusMm: 2 });
    expect(() => tubeFromPoints([P, [100.12, 200.5, 300.001]], 2)).toThrow(/at least 2 different points.*it has 1/);
    expect(() => tubeFromPoints([], 2)).toThrow(/it has 0/);
    expect(() => tubeFromPoints([P, Q], 0)).toThrow(/positive/);
    expect(() => finishTube(addTubePoint(described(), P), { name: 'Vessel', kind: 'vein', radiusMm: 4 })).toThrow(/at least 2/);
  });
});

describe('case draft: fiducials', () => {
  it('numbers skin markers S1, S2… reusing a freed number, renames and removes them', () => {
    let draft = addSkinMarker(addSkinMarker(addSkinMarker(described(), P, 3), Q, 3), R, 3);
    expect(draft.caseFile.fiducials.skinMarkers.map((m) => m.id)).toEqual(['S1', 'S2', 'S3']);
    draft = removeSkinMarker(draft, 'S2');
    draft = addSkinMarker(draft, Q, 2);
    expect(draft.caseFile.fiducials.skinMarkers.map((m) => m.id)).toEqual(['S1', 'S3', 'S2']);
    draft = renameSkinMarker(draft, 'S3', 'Left flank');
    expect(draft.caseFile.fiducials.skinMarkers.map((m) => m.id)).toEqual(['S1', 'Left flank', 'S2']);
    expect(() => renameSkinMarker(draft, 'S1', 'S2')).toThrow(/already called "S2"/);
  });

  it('sets and removes the external marker, its CT beads rounded to 0.01 mm', () => {
    const marker = {
      name: 'M',
      beadDiameterMm: 4,
      beadsInMarker: [
        [0, 0, 0],
        [30, 0, 0],
        [0, 30, 0],
      ] as Vec3[],
      beadsInCt: [P, Q, R],
    };
    const draft = setMarker(described(), marker);
    expect(draft.caseFile.fiducials.marker!.beadsInCt[0]).toEqual([100.12, 200.5, 300]);
    expect('marker' in setMarker(draft, undefined).caseFile.fiducials).toBe(false);
  });

  it('finds the bundled lumbar marker and snaps to its skin markers (known answers from its case.json)', () => {
    const folder = resolve(import.meta.dirname, '../../../sample-dicom/lumbar');
    const truth = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile;
    const blobs = findBrightBlobs(readCaseVolume(folder));
    const detected = detectExternalMarker(blobs);
    if ('reason' in detected) throw new Error(detected.reason);
    expect(detected.freMm).toBeLessThan(0.3);
    expect(detected.marker.beadsInMarker).toEqual(truth.fiducials.marker!.beadsInMarker);
    detected.marker.beadsInCt.forEach((bead, i) => {
      const expected = truth.fiducials.marker!.beadsInCt[i]!;
      expect(Math.hypot(bead[0] - expected[0], bead[1] - expected[1], bead[2] - expected[2])).toBeLessThan(0.5);
    });
    const s1 = truth.fiducials.skinMarkers[0]!.centre;
    const snapped = snapToBrightBlob([s1[0] + 4, s1[1] - 3, s1[2] + 2], blobs);
    expect(snapped).toBeDefined();
    expect(Math.hypot(snapped!.centreInCt[0] - s1[0], snapped!.centreInCt[1] - s1[1], snapped!.centreInCt[2] - s1[2])).toBeLessThan(0.5);
    expect(snapToBrightBlob([0, 0, 0], blobs)).toBeUndefined();
  });

  it('says why when no marker is among the blobs', () => {
    const detected = detectExternalMarker([]);
    expect('reason' in detected && detected.reason).toMatch(/no external marker found: found 0 bright blobs/);
  });
});

describe('building case.json from a draft', () => {
  it('a complete draft builds a file that validateCaseFile accepts, after a JSON round trip', () => {
    let draft = addTarget(described(), { name: 'Disc', priority: 'primary', centre: P, acceptanceRadiusMm: 5 });
    draft = addSphere(draft, { name: 'Aorta', kind: 'artery', centre: Q, radiusMm: 10 });
    draft = finishTube(addTubePoint(addTubePoint(draft, Q), R), { name: 'Sac', kind: 'dural-sac', radiusMm: 7 });
    draft = addSkinMarker(draft, R, 3);
    draft = setSuggestedEntry(draft, R);
    const caseFile = buildOk(draft);
    const reread = validateCaseFile(JSON.parse(JSON.stringify(caseFile)));
    expect(reread.ok).toBe(true);
    expect(caseFile.targets[0]!.centre).toEqual([100.12, 200.5, 300]);
    expect(caseFile.avoid.map((a) => a.shape.type)).toEqual(['sphere', 'tube']);
  });

  it('trims text fields and upper-cases the patient position', () => {
    let draft = withDetails(described(), { title: '  Spaced  ', patientPosition: ' hfp ' });
    draft = addTarget(draft, { name: 'Disc', priority: 'primary', centre: P, acceptanceRadiusMm: 5 });
    const caseFile = buildOk(draft);
    expect(caseFile.title).toBe('Spaced');
    expect(caseFile.series.patientPosition).toBe('HFP');
  });

  it('names every missing field of an empty draft, and what the author must add', () => {
    const result = buildCaseFile(withProcedure(newDraft({ seriesInstanceUid: '1.2.3', patientPosition: '' }), { frequencyMHz: Number.NaN }));
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toContain('title: expected a non-empty string');
    expect(errors).toContain('description: expected a non-empty string');
    expect(errors).toContain('series.patientPosition: expected a non-empty string');
    expect(errors).toContain('procedure.name: expected a non-empty string');
    expect(errors).toContain('procedure.probe.frequencyMHz: expected a positive number, found null');
    expect(errors.some((e) => e.startsWith('targets: add at least one primary target'))).toBe(true);
  });

  it('refuses an id with spaces, a repeated id, only secondary targets and a half-drawn tube', () => {
    let draft = withDetails(described(), { id: 'my case' });
    draft = addTarget(draft, { name: 'Facet', priority: 'secondary', centre: P, acceptanceRadiusMm: 4 });
    draft = addTubePoint(draft, Q);
    const repeated: CaseDraft = {
      ...draft,
      caseFile: {
        ...draft.caseFile,
        fiducials: {
          skinMarkers: [
            { id: 'S1', centre: P, diameterMm: 3 },
            { id: 'S1', centre: Q, diameterMm: 3 },
          ],
        },
      },
    };
    const result = buildCaseFile(repeated);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toContain('id: use a short name without spaces (e.g. "my-case")');
    expect(errors.some((e) => e.startsWith('targets: add at least one primary target'))).toBe(true);
    expect(errors).toContain('fiducials.skinMarkers: the id "S1" is used twice; rename one of them');
    expect(errors).toContain('avoid: a tube is being drawn (1 point): finish it or cancel it first');
  });

  it('an edited bundled case still builds, landmarks and acoustic overrides kept', () => {
    const folder = resolve(import.meta.dirname, '../../../sample-dicom/lumbar');
    const original = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile;
    let draft = draftFromCase(original);
    draft = removeAvoid(draft, 'bowel-1');
    draft = updateTarget(draft, 'disc-L4-L5', { name: 'L4–L5 nucleus' });
    const edited = buildOk(draft);
    expect(edited.avoid).toHaveLength(original.avoid.length - 1);
    expect(edited.avoid.find((a) => a.id === 'aorta')!.acoustic).toEqual(original.avoid.find((a) => a.id === 'aorta')!.acoustic);
    expect(edited.landmarks).toEqual(original.landmarks);
    expect(edited.targets[0]!.name).toBe('L4–L5 nucleus');
  });
});

function buildOk(draft: CaseDraft): CaseFile {
  const result = buildCaseFile(draft);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.caseFile;
}
