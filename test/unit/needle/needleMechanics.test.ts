import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { RigidNeedle, needleForCase } from '../../../src/core/needle/needleMechanics';
import { structureWarnings } from '../../../src/core/needle/structureWarnings';
import { angleBetweenDeg, redirectDirection } from '../../../src/core/needle/redirectDirection';
import type { NeedleFeedback } from '../../../src/core/needle/needleFeedback';
import type { AvoidStructure, CaseFile, FeedbackRegion } from '../../../src/core/cases/caseFile';
import type { CtVolume } from '../../../src/core/volume/ctVolume';
import { cross, dot, length, normalize, subtract, type Vec3 } from '../../../src/core/geometry/vec3';
import { readCaseVolume } from '../../../scripts/lib/readCaseVolume';

/**
 * A slab on 1 mm voxels, origin (100, 190, 300) so Ct and voxel indices cannot be confused:
 * air for x < 109.5, soft tissue (50 HU) from the skin at x = 109.5, cortical bone (1100 HU) from
 * x = 139.5 on, and a bony side wall from y = 219.5 on. The needle runs along +x at y = 210, z = 305.
 *
 * Known answers from the trilinear HU between voxel centres: the skin (−300 HU) is crossed at
 * x = 109 + 700/1050 = 109.667; bone (400 HU) at x = 139 + 350/1050 = 139.333, so the tip rests
 * 0.3 mm short of it at 139.033 (the painted bone surface is at 139.5: within 0.5 mm).
 */
function slab(): CtVolume {
  const [nx, ny, nz] = [60, 40, 12];
  const hu = new Int16Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        hu[i + j * nx + k * nx * ny] = i < 10 ? -1000 : i >= 40 || j >= 30 ? 1100 : 50;
      }
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
const ALONG_X: Vec3 = [1, 0, 0];
const SPINAL = { gauge: 22, lengthMm: 150 };
const REGION: FeedbackRegion = { id: 'r', name: 'Test disc', kind: 'disc', shape: { type: 'sphere', centre: AT(125), radiusMm: 4 } };

const kinds = (feedback: readonly NeedleFeedback[]) => feedback.map((f) => f.kind);
const needleInSlab = (regions: readonly FeedbackRegion[] = [], spec = SPINAL) => new RigidNeedle(slab(), spec, { tip: AT(105), direction: ALONG_X }, regions);
/** Distance from a point to the line through the needle's hub and tip. */
const offShaft = (p: Vec3, hub: Vec3, tip: Vec3) => length(cross(subtract(p, hub), normalize(subtract(tip, hub))));

describe('rigid needle in a synthetic slab', () => {
  it('punctures the skin where the HU first rises above −300, and measures depth from there', () => {
    const needle = needleInSlab();
    expect(needle.advance(2)).toEqual([]); // still in air
    const feedback = needle.advance(8);
    expect(kinds(feedback)).toEqual(['skin-puncture']);
    const puncture = feedback[0] as Extract<NeedleFeedback, { kind: 'skin-puncture' }>;
    expect(puncture.entry[0]).toBeCloseTo(SKIN_X, 2);
    expect(Math.abs(puncture.entry[0] - 109.5)).toBeLessThan(0.5); // within half a voxel of the painted surface
    const state = needle.state();
    expect(state.tip[0]).toBeCloseTo(115, 9);
    expect(state.insertedMm).toBeCloseTo(115 - SKIN_X, 2);
    expect(state.entry).toEqual(puncture.entry);
    expect(state.hub[0]).toBeCloseTo(115 - 150, 9);
  });

  it('stops the tip 0.3 mm short of bone (within 0.5 mm of the painted surface), once per contact', () => {
    const needle = needleInSlab();
    const feedback = needle.advance(100);
    expect(kinds(feedback)).toEqual(['skin-puncture', 'bone-contact']);
    const { tip, stoppedBy } = needle.state();
    expect(tip[0]).toBeCloseTo(BONE_X - 0.3, 2);
    expect(Math.abs(tip[0] - (139.5 - 0.3))).toBeLessThan(0.5);
    expect(stoppedBy).toBe('bone');
    expect((feedback[1] as Extract<NeedleFeedback, { kind: 'bone-contact' }>).point).toEqual(tip);
    // Pushing on bone moves nothing and is not a new contact; backing off and pushing again is.
    expect(needle.advance(5)).toEqual([]);
    expect(needle.state().tip[0]).toBeCloseTo(tip[0], 9);
    expect(needle.advance(-2)).toEqual([]);
    expect(needle.state().stoppedBy).toBeUndefined();
    expect(kinds(needle.advance(5))).toEqual(['bone-contact']);
    expect(needle.state().tip[0]).toBeCloseTo(BONE_X - 0.3, 2);
  });

  it('reports resistance when the tip enters a feedback region, not before, and once', () => {
    const needle = needleInSlab([REGION]);
    needle.advance(120.9 - 105);
    expect(needle.state().regionIds).toEqual([]);
    expect(needle.advance(0.2)).toEqual([{ kind: 'resistance', regionId: 'r', name: 'Test disc' }]);
    expect(needle.state().regionIds).toEqual(['r']);
    expect(needle.advance(5)).toEqual([]); // still inside
    expect(needle.advance(5)).toEqual([]); // through and out the far side (x = 129): no event
    expect(needle.state().regionIds).toEqual([]);
  });

  it('comes out of the skin when pulled back past the entry, then punctures anew', () => {
    const needle = needleInSlab([REGION]);
    needle.advance(25); // tip at 130
    expect(needle.advance(-5)).toEqual([]); // back into the region from the far side: not felt
    expect(needle.state().regionIds).toEqual(['r']);
    expect(needle.advance(-20)).toEqual([{ kind: 'needle-out' }]);
    const out = needle.state();
    expect(out.tip[0]).toBeCloseTo(105, 9);
    expect(out.insertedMm).toBe(0);
    expect(out.entry).toBeUndefined();
    expect(out.regionIds).toEqual([]);
    expect(kinds(needle.advance(20))).toEqual(['skin-puncture', 'resistance']);
  });

  it('cannot go deeper than its length: the hub stops at the skin', () => {
    const needle = needleInSlab([], { gauge: 22, lengthMm: 20 });
    needle.advance(100);
    const { insertedMm, hub, entry, stoppedBy, tip } = needle.state();
    expect(insertedMm).toBeCloseTo(20, 9);
    expect(stoppedBy).toBe('hub');
    expect(length(subtract(hub, entry!))).toBeLessThan(1e-9);
    expect(tip[0]).toBeCloseTo(SKIN_X + 20, 2);
    expect(needle.advance(5)).toEqual([]);
    expect(needle.state().insertedMm).toBeCloseTo(20, 9);
  });

  it('redirects shallow by pivoting about the skin entry, keeping the depth', () => {
    const needle = needleInSlab([REGION]);
    needle.advance(15);
    const before = needle.state();
    const result = needle.redirect(20, -10);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const expectedAngle = (Math.acos(Math.cos((20 * Math.PI) / 180) * Math.cos((10 * Math.PI) / 180)) * 180) / Math.PI;
    expect(result.feedback).toHaveLength(1);
    const redirection = result.feedback[0] as Extract<NeedleFeedback, { kind: 'redirection' }>;
    expect(redirection.kind).toBe('redirection');
    expect(redirection.angleDeg).toBeCloseTo(expectedAngle, 9);
    expect(redirection.depthMm).toBeCloseTo(before.insertedMm, 9);
    const after = needle.state();
    expect(after.entry).toEqual(before.entry);
    expect(after.insertedMm).toBeCloseTo(before.insertedMm, 9);
    expect(offShaft(after.entry!, after.hub, after.tip)).toBeLessThan(1e-9); // the shaft still passes through the entry
    expect(angleBetweenDeg(before.direction, after.direction)).toBeCloseTo(expectedAngle, 9);
    // +yaw from +x turns toward +y (counter-clockwise seen from the head); −pitch toward the feet.
    expect(after.direction[1]).toBeGreaterThan(0);
    expect(after.direction[2]).toBeLessThan(0);
  });

  it('refuses to steer deeper than 2 cm, and leaves the needle as it was', () => {
    const needle = needleInSlab();
    needle.advance(24); // 19.3 mm deep: allowed
    expect(needle.redirect(5, 0).ok).toBe(true);
    needle.advance(2); // 21.3 mm deep
    const before = needle.state();
    const result = needle.redirect(5, 0);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toContain('Withdraw to less than 2 cm');
    expect(result.reason).toContain('21.3 mm deep');
    expect(needle.state()).toEqual(before);
  });

  it('refuses a redirection that would swing the shaft into bone', () => {
    const needle = needleInSlab();
    needle.advance(5 + 18); // 18.3 mm deep at y = 210; the side wall of bone starts at y ≈ 219.3
    const refused = needle.redirect(40, 0); // the tip would swing to y ≈ 221.8
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reason).toMatch(/^Bone lies/);
    expect(needle.redirect(-40, 0).ok).toBe(true); // toward −y: soft tissue
  });

  it('turns freely about its tip outside the body, and refuses to be aimed from inside', () => {
    const needle = needleInSlab();
    const result = needle.redirect(-30, 45);
    expect(result).toEqual({ ok: true, feedback: [] });
    const { tip, direction } = needle.state();
    expect(tip).toEqual(AT(105));
    expect(direction).toEqual(redirectDirection(ALONG_X, -30, 45));
    expect(needle.aim(AT(120), ALONG_X)).toEqual({ ok: false, reason: expect.stringContaining('inside the body') });
    expect(needle.aim(AT(105), ALONG_X).ok).toBe(true);
    needle.advance(10);
    expect(needle.aim(AT(100), ALONG_X)).toEqual({ ok: false, reason: expect.stringContaining('pull it out') });
    expect(() => new RigidNeedle(slab(), SPINAL, { tip: AT(120), direction: ALONG_X })).toThrow(/inside the body/);
  });

  it('warns about structures within the margin of the inserted shaft, and reports a breach inside one', () => {
    const near: AvoidStructure = {
      id: 'near',
      name: 'Near nerve',
      kind: 'nerve',
      shape: {
        type: 'tube',
        points: [
          [125, 214, 290],
          [125, 214, 320],
        ],
        radiusMm: 2,
      },
    };
    const hit: AvoidStructure = { id: 'hit', name: 'Vessel on the path', kind: 'artery', shape: { type: 'sphere', centre: AT(132), radiusMm: 3 } };
    const needle = needleInSlab();
    expect(structureWarnings(needle.state(), [near, hit], 3)).toEqual([]); // outside the body
    needle.advance(20); // tip at 125: 2 mm from the nerve's surface, 4 mm short of the vessel
    expect(structureWarnings(needle.state(), [near, hit], 3)).toEqual([{ kind: 'warning', structureId: 'near', distanceMm: expect.closeTo(2, 6) }]);
    needle.advance(6); // tip at 131: 2 mm inside the vessel
    const feedback = structureWarnings(needle.state(), [near, hit], 3);
    expect(feedback[0]).toMatchObject({ kind: 'breach', structureId: 'hit', name: 'Vessel on the path' });
    const breach = feedback[0] as Extract<(typeof feedback)[number], { kind: 'breach' }>;
    expect(length(subtract(breach.point, needle.state().tip))).toBeLessThan(1e-5); // deepest in the vessel: the tip
    expect(feedback[1]).toMatchObject({ kind: 'warning', structureId: 'near' });
  });

  it('turns by exactly acos(cos yaw · cos pitch), in any starting direction', () => {
    for (const d of [
      [1, 0, 0],
      [0, -1, 0],
      [0.3, 0.4, -0.86],
      [0, 0, 1],
    ] as Vec3[]) {
      const turned = redirectDirection(d, 25, -35);
      expect(length(turned)).toBeCloseTo(1, 12);
      expect(dot(turned, normalize(d))).toBeCloseTo(Math.cos((25 * Math.PI) / 180) * Math.cos((35 * Math.PI) / 180), 12);
    }
    expect(redirectDirection([0, -1, 0], 90, 0)[0]).toBeCloseTo(1, 12); // anterior, +yaw: toward the patient's left
  });
});

const SAMPLE = resolve(import.meta.dirname, '../../../sample-dicom');
const readCase = (id: string) => ({ volume: readCaseVolume(join(SAMPLE, id)), caseFile: JSON.parse(readFileSync(join(SAMPLE, id, 'case.json'), 'utf8')) as CaseFile });

/** Pushes in 0.5 mm steps for `mm`, recording each feedback with the tip's distance to `target` then. */
function pushRecording(needle: RigidNeedle, mm: number, target: Vec3): { feedback: NeedleFeedback; distanceToTargetMm: number }[] {
  const log: { feedback: NeedleFeedback; distanceToTargetMm: number }[] = [];
  for (let done = 0; done < mm - 1e-9; done += 0.5) {
    for (const feedback of needle.advance(Math.min(0.5, mm - done))) log.push({ feedback, distanceToTargetMm: length(subtract(needle.state().tip, target)) });
  }
  return log;
}

describe('rigid needle on the shipped lumbar phantom', () => {
  const { volume, caseFile } = readCase('lumbar');
  const entry = caseFile.procedure.suggestedEntry!;
  const target = caseFile.targets.find((t) => t.id === 'disc-L4-L5')!;

  it('reaches the L4–L5 nucleus from the suggested entry without touching bone, feeling the disc on the way', () => {
    const direction = normalize(subtract(target.centre, entry));
    const needle = needleForCase(volume, caseFile, { tip: entry, direction });
    const log = pushRecording(needle, length(subtract(target.centre, entry)), target.centre);
    expect(log.map((l) => l.feedback.kind)).toEqual(['skin-puncture', 'resistance']);
    expect(log[1]!.feedback).toEqual({ kind: 'resistance', regionId: 'L4-L5-disc', name: 'L4–L5 disc' });
    expect(log[1]!.distanceToTargetMm).toBeGreaterThan(target.acceptanceRadiusMm); // felt before the tip arrives
    const { tip, insertedMm } = needle.state();
    expect(length(subtract(tip, target.centre))).toBeLessThan(target.acceptanceRadiusMm);
    expect(insertedMm).toBeLessThan(caseFile.procedure.needle.lengthMm);
    // The path threads the safe triangle: near the exiting root, but not in it.
    expect(structureWarnings(needle.state(), caseFile.avoid, 3).map((w) => w.kind)).not.toContain('breach');
  });

  it('breaches the exiting L4 root when aimed straight at it from the entry', () => {
    const root = caseFile.avoid.find((a) => a.id === 'l4-exiting-root-left')!;
    expect(root.kind).toBe('nerve');
    if (root.shape.type !== 'tube') throw new Error('the root is a tube');
    const inForamen = root.shape.points[3]!; // where it leaves the upper foramen, lateral to the disc below
    const needle = needleForCase(volume, caseFile, { tip: entry, direction: normalize(subtract(inForamen, entry)) });
    const feedback = needle.advance(length(subtract(inForamen, entry)));
    expect(kinds(feedback)).not.toContain('bone-contact');
    const breaches = structureWarnings(needle.state(), caseFile.avoid, 3).filter((w) => w.kind === 'breach');
    expect(breaches).toEqual([expect.objectContaining({ kind: 'breach', structureId: 'l4-exiting-root-left', name: 'L4 exiting root, left' })]);
  });
});

describe('rigid needle on the shipped hip phantom', () => {
  it('feels the capsule on the way from the suggested entry to the collapsed anterior recess, then meets the neck there, on target', () => {
    // The normal hip's recess is a 0.5 mm film under the capsule: as clinically, the needle goes
    // through the capsule to bone contact at the head–neck junction, with the tip on target.
    const { volume, caseFile } = readCase('hip');
    const entry = caseFile.procedure.suggestedEntry!;
    const target = caseFile.targets.find((t) => t.id === 'hip-anterior-recess')!;
    const needle = needleForCase(volume, caseFile, { tip: entry, direction: normalize(subtract(target.centre, entry)) });
    const log = pushRecording(needle, length(subtract(target.centre, entry)), target.centre);
    expect(log.map((l) => l.feedback.kind)).toEqual(['skin-puncture', 'resistance', 'bone-contact']);
    expect(log[1]!.feedback).toEqual({ kind: 'resistance', regionId: 'hip-joint-capsule', name: 'Hip joint capsule' });
    expect(log[1]!.distanceToTargetMm).toBeGreaterThan(target.acceptanceRadiusMm);
    expect(length(subtract(needle.state().tip, target.centre))).toBeLessThan(target.acceptanceRadiusMm);
  });

  it('reaches the distended recess of the effusion case through the capsule without touching bone', () => {
    const { volume, caseFile } = readCase('hip-effusion');
    const entry = caseFile.procedure.suggestedEntry!;
    const target = caseFile.targets.find((t) => t.id === 'hip-anterior-recess')!;
    const needle = needleForCase(volume, caseFile, { tip: entry, direction: normalize(subtract(target.centre, entry)) });
    const log = pushRecording(needle, length(subtract(target.centre, entry)), target.centre);
    expect(log.map((l) => l.feedback.kind)).toEqual(['skin-puncture', 'resistance']);
    expect(log[1]!.distanceToTargetMm).toBeGreaterThan(target.acceptanceRadiusMm);
    expect(length(subtract(needle.state().tip, target.centre))).toBeLessThan(target.acceptanceRadiusMm);
  });
});
