import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { planPath } from '../../../src/core/planning/planPath';
import { pathAngles, pathDirection } from '../../../src/core/planning/pathAngles';
import { skinEntryAlong } from '../../../src/core/planning/skinEntryAlong';
import { needleForCase } from '../../../src/core/needle/needleMechanics';
import type { AvoidStructure, CaseFile, FeedbackRegion } from '../../../src/core/cases/caseFile';
import type { CtVolume } from '../../../src/core/volume/ctVolume';
import { add, length, normalize, scale, subtract, type Vec3 } from '../../../src/core/geometry/vec3';
import { readCaseVolume } from '../../../scripts/lib/readCaseVolume';

/**
 * 1 mm voxels, origin (100, 190, 300): air for x < 109.5, soft tissue (50 HU), cortical bone
 * (1100 HU) from x = 139.5. Trilinear known answers: skin (−300 HU) at x = 109.667, bone (400 HU)
 * at x = 139.333.
 */
function slab(): CtVolume {
  const [nx, ny, nz] = [60, 40, 12];
  const hu = new Int16Array(nx * ny * nz);
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) hu[i + j * nx + k * nx * ny] = i < 10 ? -1000 : i >= 40 ? 1100 : 50;
  return {
    geometry: {
      dimensions: [nx, ny, nz],
      spacingMm: [1, 1, 1],
      originInCt: [100, 190, 300],
      axesInCt: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    },
    huVoxels: hu,
    seriesInstanceUid: '',
    seriesDescription: '',
    warnings: [],
  };
}
const SKIN_X = 109 + 700 / 1050;
const BONE_X = 139 + 350 / 1050;
const AT = (x: number): Vec3 => [x, 210, 305];

describe('planPath on a synthetic slab', () => {
  const regions: FeedbackRegion[] = [
    { id: 'far', name: 'Far region', kind: 'other', shape: { type: 'sphere', centre: AT(133), radiusMm: 2 } },
    { id: 'near', name: 'Near region', kind: 'disc', shape: { type: 'sphere', centre: AT(125), radiusMm: 4 } },
  ];
  const avoid: AvoidStructure[] = [
    {
      id: 'nerve',
      name: 'Nerve beside the path',
      kind: 'nerve',
      shape: {
        type: 'tube',
        points: [
          [120, 216, 290],
          [120, 216, 320],
        ],
        radiusMm: 2,
      },
    },
    { id: 'far-vessel', name: 'Vessel 12 mm away', kind: 'artery', shape: { type: 'sphere', centre: [125, 225, 305], radiusMm: 3 } },
  ];

  it('gives length, angles, bone depth, regions in order and the structures within 10 mm', () => {
    const entry = AT(SKIN_X);
    const plan = planPath(slab(), { avoid, feedbackRegions: regions }, entry, AT(150));
    expect(plan.lengthMm).toBeCloseTo(150 - SKIN_X, 9);
    expect(plan.direction).toEqual([1, 0, 0]);
    expect(plan.fromSagittalDeg).toBeCloseTo(90, 9);
    expect(plan.fromAxialDeg).toBeCloseTo(0, 9);
    expect(plan.firstBoneDepthMm).toBeCloseTo(BONE_X - SKIN_X, 2);
    expect(plan.regions.map((r) => [r.id, r.kind])).toEqual([
      ['near', 'disc'],
      ['far', 'other'],
    ]);
    expect(plan.regions[0]!.depthMm).toBeCloseTo(121 - SKIN_X, 2);
    expect(plan.regions[1]!.depthMm).toBeCloseTo(131 - SKIN_X, 2);
    // The nerve's surface is 6 − 2 = 4 mm from the path, closest at x = 120; the vessel is 15 − 3 = 12 mm away: not listed.
    expect(plan.structures).toEqual([{ id: 'nerve', name: 'Nerve beside the path', kind: 'nerve', closestMm: expect.closeTo(4, 4), depthMm: expect.closeTo(120 - SKIN_X, 3) }]);
  });

  it('reports no bone on a path short of it, and lists a structure the path enters with a negative distance', () => {
    const plan = planPath(slab(), { avoid: [{ id: 'in', name: 'On the path', kind: 'vein', shape: { type: 'sphere', centre: AT(120), radiusMm: 3 } }] }, AT(SKIN_X), AT(135));
    expect(plan.firstBoneDepthMm).toBeUndefined();
    expect(plan.regions).toEqual([]);
    expect(plan.structures[0]!.closestMm).toBeCloseTo(-3, 4);
    expect(plan.structures[0]!.depthMm).toBeCloseTo(120 - SKIN_X, 4);
    expect(() => planPath(slab(), { avoid: [] }, AT(120), AT(120))).toThrow(/same point/);
  });

  it('finds the skin entry along a direction from a target, where a needle aimed back punctures', () => {
    const result = skinEntryAlong(slab(), AT(130), [-1, 0, 0]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.entry[0]).toBeCloseTo(SKIN_X, 2);
    expect(result.depthMm).toBeCloseTo(130 - SKIN_X, 2);
    // Oblique: 30° off the x axis, the skin plane is met 20.33 / cos 30° from the target.
    const oblique = skinEntryAlong(slab(), AT(130), [-Math.cos(Math.PI / 6), Math.sin(Math.PI / 6), 0]);
    expect(oblique.ok && oblique.entry[0]).toBeCloseTo(SKIN_X, 2);
    // Along y the tissue runs off the edge of the CT: no skin to enter through.
    const offEdge = skinEntryAlong(slab(), AT(130), [0, 1, 0]);
    expect(offEdge).toEqual({ ok: false, reason: expect.stringContaining('edge of the CT') });
    expect(skinEntryAlong(slab(), AT(102), [-1, 0, 0])).toEqual({ ok: false, reason: expect.stringContaining('No tissue') });
  });

  it('pathDirection and pathAngles are inverse', () => {
    for (const [fromSagittalDeg, towardHeadDeg] of [
      [41, 9.8],
      [0, 0],
      [30, -38],
      [60, 30],
    ] as const) {
      const d = pathDirection({ fromSagittalDeg, towardHeadDeg, side: 'right', surface: 'anterior' });
      expect(length(d)).toBeCloseTo(1, 12);
      const angles = pathAngles(d);
      expect(angles.fromSagittalDeg).toBeCloseTo(fromSagittalDeg, 9);
      expect(angles.fromAxialDeg).toBeCloseTo(Math.abs(towardHeadDeg), 9);
      expect(d[0]).toBeLessThanOrEqual(0); // right is −x
      expect(d[1]).toBeLessThan(0); // anterior is −y
      expect(Math.sign(d[2])).toBe(Math.sign(towardHeadDeg));
    }
    expect(() => pathDirection({ fromSagittalDeg: 60, towardHeadDeg: 45, side: 'left', surface: 'posterior' })).toThrow(/at most 90°/);
  });
});

const SAMPLE = resolve(import.meta.dirname, '../../../sample-dicom');
const readCase = (id: string) => ({ volume: readCaseVolume(join(SAMPLE, id)), caseFile: JSON.parse(readFileSync(join(SAMPLE, id, 'case.json'), 'utf8')) as CaseFile });

describe('planPath on the shipped lumbar phantom', () => {
  const { volume, caseFile } = readCase('lumbar');
  const entry = caseFile.procedure.suggestedEntry!;
  const target = caseFile.targets.find((t) => t.id === 'disc-L4-L5')!;

  it('measures the suggested path: 128.5 mm, 41° from sagittal, no bone, the disc felt before the target, the exiting root nearest', () => {
    const plan = planPath(volume, caseFile, entry, target.centre);
    expect(plan.lengthMm).toBeCloseTo(128.5, 0);
    expect(plan.fromSagittalDeg).toBeCloseTo(41, 1); // in the disc plane at 41° (lumbarPhantom.ts)
    expect(plan.fromAxialDeg).toBeGreaterThan(5); // the disc plane is tilted by the lordosis
    expect(plan.fromAxialDeg).toBeLessThan(15);
    expect(plan.firstBoneDepthMm).toBeUndefined();
    expect(plan.regions).toEqual([{ id: 'L4-L5-disc', name: 'L4–L5 disc', kind: 'disc', depthMm: expect.any(Number) }]);
    expect(plan.regions[0]!.depthMm).toBeLessThan(plan.lengthMm - target.acceptanceRadiusMm);
    expect(plan.regions[0]!.depthMm).toBeGreaterThan(plan.lengthMm - 25); // the disc is ~47 × 33 mm
    // Through the safe triangle: the exiting L4 root passes close (but outside), then the L5 root and the dural sac.
    expect(plan.structures.map((s) => s.id)).toEqual(['l4-exiting-root-left', 'l5-exiting-root-left', 'dural-sac']);
    const [root] = plan.structures;
    expect(root!.closestMm).toBeGreaterThan(0.5);
    expect(root!.closestMm).toBeLessThan(3);
    expect(root!.depthMm).toBeGreaterThan(90);
    for (const s of plan.structures) expect(s.closestMm).toBeGreaterThan(0);
    for (const [a, b] of plan.structures.slice(1).map((s, i) => [plan.structures[i]!, s] as const)) expect(a.closestMm).toBeLessThanOrEqual(b.closestMm);
  });

  it('finds the suggested entry again from the target at the path angles, and a needle aimed there punctures within a millimetre of it', () => {
    const outward = normalize(subtract(entry, target.centre));
    const angles = pathAngles(outward);
    const direction = pathDirection({ fromSagittalDeg: angles.fromSagittalDeg, towardHeadDeg: angles.fromAxialDeg * Math.sign(outward[2]), side: 'left', surface: 'posterior' });
    expect(length(subtract(direction, outward))).toBeLessThan(1e-9);
    const found = skinEntryAlong(volume, target.centre, direction);
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    expect(length(subtract(found.entry, entry))).toBeLessThan(1);
    const needle = needleForCase(volume, caseFile, { tip: add(found.entry, scale(direction, 5)), direction: scale(direction, -1) });
    const [puncture] = needle.advance(10);
    expect(puncture?.kind).toBe('skin-puncture');
    if (puncture?.kind === 'skin-puncture') expect(length(subtract(puncture.entry, found.entry))).toBeLessThan(0.01);
  });

  it('reports the exiting L4 root as entered on a path aimed straight at it', () => {
    const root = caseFile.avoid.find((a) => a.id === 'l4-exiting-root-left')!;
    if (root.shape.type !== 'tube') throw new Error('the root is a tube');
    const plan = planPath(volume, caseFile, entry, root.shape.points[3]!);
    expect(plan.structures[0]).toMatchObject({ id: 'l4-exiting-root-left', kind: 'nerve' });
    expect(plan.structures[0]!.closestMm).toBeLessThan(-2.5); // the centreline of a 3 mm root
  });

  it('reports the first bone on a path aimed at the L4 pedicle', () => {
    const root = caseFile.avoid.find((a) => a.id === 'l4-exiting-root-left')!;
    if (root.shape.type !== 'tube') throw new Error('the root is a tube');
    // The root's start, medial to the pedicle inside the canal, lies behind the lamina and the articular processes.
    const plan = planPath(volume, caseFile, entry, root.shape.points[0]!);
    expect(plan.firstBoneDepthMm).toBeGreaterThan(60);
    expect(plan.firstBoneDepthMm).toBeLessThan(plan.lengthMm);
  });
});

describe('planPath on the shipped hip phantom', () => {
  it('measures the suggested path to the anterior recess: clear of bone, the capsule entered short of the target, no structure within 10 mm', () => {
    const { volume, caseFile } = readCase('hip');
    const entry = caseFile.procedure.suggestedEntry!;
    const target = caseFile.targets.find((t) => t.id === 'hip-anterior-recess')!;
    const plan = planPath(volume, caseFile, entry, target.centre);
    expect(plan.lengthMm).toBeGreaterThan(40);
    expect(plan.lengthMm).toBeLessThan(60);
    expect(plan.firstBoneDepthMm).toBeUndefined();
    expect(plan.regions.map((r) => r.id)).toEqual(['hip-joint-capsule']);
    expect(plan.regions[0]!.depthMm).toBeLessThan(plan.lengthMm - target.acceptanceRadiusMm);
    expect(plan.structures).toEqual([]); // lateral to the femoral nerve, artery and vein
  });
});
