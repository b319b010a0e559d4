import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validateCaseFile } from '../../../src/core/cases/validateCaseFile';
import type { CaseFile } from '../../../src/core/cases/caseFile';
import { shapeOf } from '../../../src/core/phantom/avoidShapes';
import { PHANTOM_SEED, phantomFiles, PHANTOMS, sampleIndex } from '../../../src/core/phantom/phantomFiles';
import type { PhantomDefinition } from '../../../src/core/phantom/phantomDefinition';
import type { Shape } from '../../../src/core/phantom/sdf';
import { ctIjkToCt, ctToCtIjk } from '../../../src/core/volume/volumeGeometry';
import type { CtVolume } from '../../../src/core/volume/ctVolume';
import type { Vec3 } from '../../../src/core/geometry/vec3';
import { readCaseVolume } from '../../../scripts/lib/readCaseVolume';
import { addScaled, cross, dot, normalize, scale, subtract } from '../../../src/core/geometry/vec3';
import { at, buildLumbarColumn } from '../../../src/core/phantom/lumbarSpine';
import { radiusFromNeckAxis } from '../../../src/core/phantom/hipCapsule';
import { caseAcousticRegions } from '../../../src/core/cases/caseAcousticRegions';

/** The lumbar phantom's L4–L5 disc centre (Ct mm), where lumbarPhantom builds its column. */
const L45_DISC_CENTRE: Vec3 = [0, 20, -25];

const SAMPLE = resolve(import.meta.dirname, '../../../sample-dicom');
const definitions = new Map<string, PhantomDefinition>(
  PHANTOMS.map((build) => {
    const d = build(PHANTOM_SEED);
    return [d.id, d];
  }),
);
const volumes = new Map<string, CtVolume>();
const cases = new Map<string, CaseFile>();

beforeAll(() => {
  for (const id of definitions.keys()) {
    volumes.set(id, readCaseVolume(join(SAMPLE, id)));
    cases.set(id, JSON.parse(readFileSync(join(SAMPLE, id, 'case.json'), 'utf8')) as CaseFile);
  }
});

/** Mean HU of the shipped voxels lying at least `depthMm` inside a shape (away from partial volume). */
function meanInside(volume: CtVolume, shape: Shape, depthMm = 1.5): { mean: number; count: number } {
  const [min, max] = shape.bounds;
  const a = ctToCtIjk(volume.geometry, min);
  const b = ctToCtIjk(volume.geometry, max);
  const [nx, ny, nz] = volume.geometry.dimensions;
  let sum = 0;
  let count = 0;
  for (let k = Math.max(0, Math.floor(Math.min(a[2], b[2]))); k <= Math.min(nz - 1, Math.ceil(Math.max(a[2], b[2]))); k++) {
    for (let j = Math.max(0, Math.floor(Math.min(a[1], b[1]))); j <= Math.min(ny - 1, Math.ceil(Math.max(a[1], b[1]))); j++) {
      for (let i = Math.max(0, Math.floor(Math.min(a[0], b[0]))); i <= Math.min(nx - 1, Math.ceil(Math.max(a[0], b[0]))); i++) {
        if (shape.distance(ctIjkToCt(volume.geometry, [i, j, k])) < -depthMm) {
          sum += volume.huVoxels[i + j * nx + k * nx * ny]!;
          count++;
        }
      }
    }
  }
  return { mean: sum / count, count };
}

const layerShape = (id: string, name: string): Shape => {
  const layer = definitions.get(id)!.layers.find((l) => l.name === name);
  if (!layer) throw new Error(`${id} has no layer "${name}"`);
  return layer.shape;
};

describe('bundled phantoms', () => {
  it('the shipped files are exactly what the generator writes', () => {
    for (const [id, definition] of definitions) {
      const { slices, caseJson } = phantomFiles(definition, PHANTOM_SEED);
      const shipped = readdirSync(join(SAMPLE, id)).sort();
      expect(shipped).toEqual([...slices.map((f) => f.name), 'case.json'].sort());
      for (const file of slices) expect(Buffer.compare(readFileSync(join(SAMPLE, id, file.name)), Buffer.from(file.bytes)), `${id}/${file.name}`).toBe(0);
      expect(readFileSync(join(SAMPLE, id, 'case.json'), 'utf8')).toBe(caseJson);
    }
    expect(JSON.parse(readFileSync(join(SAMPLE, 'index.json'), 'utf8'))).toEqual(sampleIndex(PHANTOM_SEED));
  }, 120_000);

  it('sample-dicom stays under 30 MB', () => {
    const total = [...definitions.keys()].flatMap((id) => readdirSync(join(SAMPLE, id)).map((f) => readFileSync(join(SAMPLE, id, f)).length)).reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(30 * 1024 ** 2);
  });

  it('case files validate against schema version 1', () => {
    for (const caseFile of cases.values()) {
      const result = validateCaseFile(caseFile);
      expect(result.ok ? [] : result.errors).toEqual([]);
    }
  });

  it.each([
    // [phantom, layer, HU range] — ranges from ../shared/design/anatomy-and-procedures.md
    ['lumbar', 'L4–L5 nucleus', 60, 90],
    ['lumbar', 'L5–S1 nucleus', 60, 90],
    ['lumbar', 'dural sac', 0, 15],
    ['lumbar', 'psoas', 40, 60],
    ['lumbar', 'erector spinae and multifidus', 40, 60],
    ['lumbar', 'great vessel', 35, 50],
    ['lumbar', 'L4 exiting root, left', 30, 40],
    ['lumbar', 'ligamentum flavum L4–L5 left', 60, 90],
    ['lumbar', 'subcutaneous fat', -120, -80],
    ['hip', 'femoral artery', 35, 50],
    ['hip', 'femoral vein', 35, 50],
    ['hip', 'iliopsoas', 40, 60],
    ['hip', 'sartorius', 40, 60],
    ['hip', 'subcutaneous fat', -120, -80],
  ])('%s %s reads %d…%d HU in the shipped CT', (id, name, low, high) => {
    const definition = definitions.get(id)!;
    // Later layers cover parts of earlier ones (roots cross the sac, the nucleus fills the disc):
    // measure where only this layer is on top.
    const index = definition.layers.findIndex((l) => l.name === name);
    const later = definition.layers.slice(index + 1).map((l) => l.shape);
    const shape = layerShape(id, name);
    const own: Shape = {
      distance(p) {
        const d = shape.distance(p);
        if (d >= -1.2) return d;
        for (const s of later) if (s.distance(p) < 1.2) return 1; // covered (or blurred) by a later layer
        return d;
      },
      // A 40 mm slab through the middle of the structure is plenty of voxels.
      bounds: [
        [shape.bounds[0][0], shape.bounds[0][1], (shape.bounds[0][2] + shape.bounds[1][2]) / 2 - 20],
        [shape.bounds[1][0], shape.bounds[1][1], (shape.bounds[0][2] + shape.bounds[1][2]) / 2 + 20],
      ],
    };
    const { mean, count } = meanInside(volumes.get(id)!, own, 1.2);
    expect(count).toBeGreaterThan(10);
    expect(mean).toBeGreaterThanOrEqual(low);
    expect(mean).toBeLessThanOrEqual(high);
  });

  it('cancellous bone of the vertebral bodies and the femoral head reads 150…300 HU', () => {
    const lumbar = definitions.get('lumbar')!;
    const cancellous = lumbar.layers.filter((l) => l.name === 'cancellous bone')[3]!.shape; // L4
    const { mean } = meanInside(volumes.get('lumbar')!, cancellous, 3);
    expect(mean).toBeGreaterThan(150);
    expect(mean).toBeLessThan(300);
    const head = cases.get('hip')!.landmarks!.find((l) => l.id === 'femoral-head-centre')!.point;
    const { mean: headMean } = meanInside(volumes.get('hip')!, shapeOf({ type: 'sphere', centre: head, radiusMm: 12 }), 0);
    expect(headMean).toBeGreaterThan(150);
    expect(headMean).toBeLessThan(300);
  });

  it('targets sit inside the disc nucleus and the joint recess', () => {
    const lumbar = cases.get('lumbar')!;
    for (const [target, nucleus] of [
      ['disc-L4-L5', 'L4–L5 nucleus'],
      ['disc-L5-S1', 'L5–S1 nucleus'],
    ] as const) {
      const centre = lumbar.targets.find((t) => t.id === target)!.centre;
      expect(layerShape('lumbar', nucleus).distance(centre)).toBeLessThan(-2);
    }
    const recess = cases.get('hip')!.targets.find((t) => t.id === 'hip-anterior-recess')!;
    expect(layerShape('hip', 'synovial fluid').distance(recess.centre)).toBeLessThan(0);
    expect(layerShape('hip', 'femur cortex').distance(recess.centre)).toBeGreaterThan(0);
    expect(layerShape('hip', 'femur cortex').distance(recess.centre)).toBeLessThan(recess.acceptanceRadiusMm + 1);
  });

  it('every fiducial bead is a bright blob centred within half a voxel of its listed centre', () => {
    for (const [id, caseFile] of cases) {
      const volume = volumes.get(id)!;
      const beads = [...caseFile.fiducials.marker!.beadsInCt, ...caseFile.fiducials.skinMarkers.map((m) => m.centre)];
      for (const bead of beads) {
        const { centroid, peak } = brightCentroid(volume, bead, 5);
        expect(peak, `${id} bead at ${bead.join(', ')}`).toBeGreaterThan(800);
        const offsetIjk = ctToCtIjk(volume.geometry, centroid).map((v, a) => v - ctToCtIjk(volume.geometry, bead)[a]!);
        for (const axisOffset of offsetIjk) expect(Math.abs(axisOffset)).toBeLessThanOrEqual(0.5);
      }
    }
  });

  it('the marker beads are not coplanar', () => {
    for (const caseFile of cases.values()) {
      const beads = caseFile.fiducials.marker!.beadsInCt;
      expect(distanceFromBestPlane(beads)).toBeGreaterThan(2);
    }
  });

  it('no structure to avoid reaches into a target acceptance region', () => {
    for (const caseFile of cases.values()) {
      for (const target of caseFile.targets) {
        for (const structure of caseFile.avoid) {
          expect(shapeOf(structure.shape).distance(target.centre), `${target.id} vs ${structure.id}`).toBeGreaterThan(target.acceptanceRadiusMm);
        }
      }
    }
  });

  it('the suggested paths are clinically sized: 10–13 cm to the disc, 4–9 cm to the hip recess', () => {
    const length = (c: CaseFile) => Math.hypot(...c.procedure.suggestedEntry!.map((v, i) => v - c.targets[0]!.centre[i]!));
    expect(length(cases.get('lumbar')!)).toBeGreaterThan(100);
    expect(length(cases.get('lumbar')!)).toBeLessThan(130);
    expect(length(cases.get('hip')!)).toBeGreaterThan(40);
    expect(length(cases.get('hip')!)).toBeLessThan(90);
  });

  it('each disc feedback region is the painted disc as an ellipsoid: its rim on the painted rim, the rest inside the disc', () => {
    const regions = cases.get('lumbar')!.feedbackRegions!;
    expect(regions.map((r) => [r.id, r.kind])).toEqual(['L1-L2', 'L2-L3', 'L3-L4', 'L4-L5', 'L5-S1'].map((level) => [`${level}-disc`, 'disc']));
    for (const region of regions) {
      if (region.shape.type !== 'ellipsoid') throw new Error(`${region.id} is not an ellipsoid`);
      const painted = layerShape('lumbar', region.name.replace(' disc', ' annulus'));
      const {
        centre,
        axes: [u, v, w],
        radiiMm: [a, b, c],
      } = region.shape;
      const point = (x: number, y: number, z: number): Vec3 => [0, 1, 2].map((i) => centre[i]! + u[i]! * x + v[i]! * y + w[i]! * z) as unknown as Vec3;
      for (let k = 0; k < 36; k++) {
        const t = (k * Math.PI) / 18;
        // In the mid-plane, where a needle in the disc plane meets the annulus, the rims coincide.
        expect(Math.abs(painted.distance(point(a * Math.cos(t), b * Math.sin(t), 0))), `${region.id} rim`).toBeLessThan(0.1);
        // Elsewhere the ellipsoid's surface lies inside the painted disc (a wedged disc's posterior endplates: within 0.5 mm).
        for (const h of [-0.9, -0.5, 0.5, 0.9]) {
          const r = Math.sqrt(1 - h * h);
          expect(painted.distance(point(a * r * Math.cos(t), b * r * Math.sin(t), c * h)), `${region.id} surface`).toBeLessThan(0.5);
        }
      }
    }
    const lumbar = cases.get('lumbar')!;
    for (const [target, region] of [
      ['disc-L4-L5', 'L4-L5-disc'],
      ['disc-L5-S1', 'L5-S1-disc'],
    ] as const) {
      const centre = lumbar.targets.find((t) => t.id === target)!.centre;
      expect(shapeOf(regions.find((r) => r.id === region)!.shape).distance(centre)).toBeLessThan(-3);
    }
  });

  it.each(['hip', 'hip-effusion'])('the %s capsule region follows the painted capsule within 1.5 mm over the front of the neck, and holds the recess', (id) => {
    const hip = cases.get(id)!;
    const [region] = hip.feedbackRegions!;
    expect(region).toMatchObject({ id: 'hip-joint-capsule', kind: 'joint-capsule' });
    if (region!.shape.type !== 'tube') throw new Error('the capsule region is not a tube');
    const painted = layerShape(id, 'joint capsule');
    const { neck, anterior, head } = neckFrame(hip);
    const side = cross(neck, anterior);
    const [a] = region!.shape.points;
    const radius = region!.shape.radiusMm;
    for (let along = -32; along <= -20; along += 4) {
      for (let k = -2; k <= 2; k++) {
        const t = (k * Math.PI) / 12; // within 30° of the anterior normal, where an anterior approach enters
        const axisPoint = addScaled(head, neck, along);
        // The region's surface: the tube's axis runs along the neck through `a`.
        const offAxis = dot(subtract(axisPoint, a!), neck);
        const onAxis = addScaled(a!, neck, offAxis);
        const p = addScaled(onAxis, addScaled(scale(anterior, Math.cos(t)), side, Math.sin(t)), radius);
        expect(Math.abs(painted.distance(p)), `${along} mm along the neck, ${k * 15}°`).toBeLessThan(1.5);
      }
    }
    const recess = hip.targets.find((t) => t.id === 'hip-anterior-recess')!.centre;
    expect(shapeOf(region!.shape).distance(recess)).toBeLessThan(-2.5);
  });

  it('the hip capsule lies on the neck by default (the stripe, 2–5 mm from the cortex) and is distended 8–10 mm by the effusion', () => {
    const distances = new Map<string, number[]>();
    for (const id of ['hip', 'hip-effusion']) {
      const { neck, anterior, head } = neckFrame(cases.get(id)!);
      // Capsule–neck distance (Koski 1989): neck cortex to the capsule's outer surface, along the anterior normal.
      distances.set(
        id,
        [-30, -26, -22].map(
          (along) =>
            radiusFromNeckAxis(layerShape(id, 'joint capsule'), head, neck, along, anterior) - radiusFromNeckAxis(layerShape(id, 'femur cortex'), head, neck, along, anterior),
        ),
      );
    }
    for (const d of distances.get('hip')!) {
      expect(d).toBeGreaterThan(2);
      expect(d).toBeLessThan(5);
    }
    for (const d of distances.get('hip-effusion')!) {
      expect(d).toBeGreaterThan(8);
      expect(d).toBeLessThan(10);
    }
  });

  it('the oblique-sagittal view along the neck sees the round femoral head past its apex: the lowered anterior rim no longer shadows it', () => {
    const hip = cases.get('hip')!;
    const { neck, anterior, head } = neckFrame(hip);
    const pelvis = layerShape('hip', 'pelvis cortex');
    const labrum = layerShape('hip', 'labrum');
    const femur = layerShape('hip', 'femur cortex');
    // Beams along the anterior normal, from 40 mm in front of the neck axis, every 2 mm along the neck.
    const firstBone = (along: number) => {
      const from = addScaled(addScaled(head, neck, along), anterior, 40);
      for (let s = 0; s < 40; s += 0.1) {
        const p = addScaled(from, anterior, -s);
        if (pelvis.distance(p) < 0 || labrum.distance(p) < 0) return 'rim';
        if (femur.distance(p) < 0) return 'femur';
      }
      return 'none';
    };
    // From the head–neck junction to 8 mm past the apex (along = 0), nothing of the rim is in front of the head.
    for (let along = -24; along <= 8; along += 2) expect(firstBone(along), `${along} mm along the neck`).toBe('femur');
    // The rim is still there, medial to it.
    expect(firstBone(24)).toBe('rim');
  });

  it.each([
    ['L3–L4', 10, 15],
    ['L4–L5', 10, 15],
  ])('the %s interlaminar window is %d–%d mm wide in the paramedian sagittal oblique view', (level, low, high) => {
    const { width, flavumMm } = interlaminarWindow(level);
    expect(width).toBeGreaterThanOrEqual(low);
    expect(width).toBeLessThanOrEqual(high);
    // Through it, the beam crosses the ligamentum flavum (3–5 mm) before the sac.
    expect(flavumMm).toBeGreaterThanOrEqual(3);
    expect(flavumMm).toBeLessThanOrEqual(5);
  });

  it('every muscle, tendon and capsule the phantoms list in their tissues covers its painted layer', () => {
    for (const [id, definition] of definitions) {
      const tissues = definition.caseFile.tissues ?? [];
      expect(tissues.length, id).toBeGreaterThan(5);
      const names = new Set(tissues.map((t) => t.name));
      for (const name of names) {
        const shapes = tissues.filter((t) => t.name === name).map((t) => shapeOf(t.shape));
        const layers = definition.layers.filter((l) => l.name === name);
        if (layers.length === 0) continue; // e.g. the capsule's name differs from its layer's
        for (const layer of layers) {
          const points = samplesInside(layer.shape, 1000);
          expect(points.length, `${id} ${name}`).toBeGreaterThan(5);
          const covered = points.filter((p) => shapes.some((s) => s.distance(p) < 0.01)).length;
          expect(covered / points.length, `${id} ${name}`).toBeGreaterThan(0.99);
        }
      }
    }
  });

  it('validates feedbackRegions field by field, with JSON paths', () => {
    const hip = cases.get('hip')!;
    expect(validateCaseFile({ ...hip, feedbackRegions: undefined }).ok).toBe(true); // optional
    expect(validateCaseFile({ ...hip, feedbackRegions: 'capsule' })).toEqual({ ok: false, errors: ['feedbackRegions: expected a list'] });
    const result = validateCaseFile({
      ...hip,
      feedbackRegions: [
        {
          id: 'a',
          name: 'A',
          kind: 'bone',
          shape: {
            type: 'ellipsoid',
            centre: [0, 0, 0],
            axes: [
              [1, 0, 0],
              [0, 1, 0],
              [0, 0, 1],
            ],
            radiiMm: [1, 0, 1],
          },
        },
        { id: 'a', name: ' ', kind: 'disc', shape: { type: 'sphere', centre: [0, 0], radiusMm: -1 } },
        { id: 'b', name: 'B', kind: 'other', shape: { type: 'cube' } },
        'c',
      ],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        'feedbackRegions[0].kind: expected one of "disc", "joint-capsule", "other", found "bone"',
        'feedbackRegions[0].shape.radiiMm: expected three positive radii in mm, found [1,0,1]',
        'feedbackRegions[1].name: expected a non-empty string',
        'feedbackRegions[1].shape.centre: expected [x, y, z] in mm (three finite numbers), found [0,0]',
        'feedbackRegions[1].shape.radiusMm: expected a positive number, found -1',
        'feedbackRegions[1].id: "a" is already the id of feedbackRegions[0]; give each region its own id',
        'feedbackRegions[2].shape.type: expected one of "sphere", "tube", "ellipsoid", found "cube"',
        'feedbackRegions[3]: expected an object',
      ],
    });
  });

  it('validates tissues field by field, with JSON paths; blood, fluid and gas stay avoid-structure media', () => {
    const hip = cases.get('hip')!;
    expect(validateCaseFile({ ...hip, tissues: undefined }).ok).toBe(true); // optional
    expect(validateCaseFile({ ...hip, tissues: {} })).toEqual({ ok: false, errors: ['tissues: expected a list'] });
    const result = validateCaseFile({
      ...hip,
      tissues: [
        { name: 'a', medium: 'blood', shape: { type: 'sphere', centre: [0, 0, 0], radiusMm: 1 } },
        { name: 'b', medium: 'tendon', shape: { type: 'tube', points: [[0, 0, 0]], radiusMm: 2 }, fibreAxis: [0, 0, 0] },
        { name: '', medium: 'cartilage', shape: { type: 'cube' }, fibreAxis: [1, 0] },
      ],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        'tissues[0].medium: expected one of "cartilage", "muscle", "tendon", "capsule", found "blood"',
        'tissues[1].fibreAxis: expected a direction [x, y, z] in LPS (three finite numbers, not all zero), found [0,0,0]',
        'tissues[2].name: expected a non-empty string',
        'tissues[2].shape.type: expected one of "sphere", "tube", "ellipsoid", found "cube"',
        'tissues[2].fibreAxis: expected a direction [x, y, z] in LPS (three finite numbers, not all zero), found [1,0]',
      ],
    });
    const aorta = cases.get('lumbar')!.avoid.find((a) => a.id === 'aorta')!;
    expect(validateCaseFile({ ...hip, avoid: [{ ...aorta, acoustic: { medium: 'muscle' } }] })).toEqual({
      ok: false,
      errors: ['avoid[0].acoustic.medium: expected one of "blood", "fluid", "gas", found "muscle"'],
    });
  });

  it('the synthesis gets the tissues first, then the vessel overrides', () => {
    const hip = cases.get('hip')!;
    const regions = caseAcousticRegions(hip);
    expect(regions.length).toBe(hip.tissues!.length + 2);
    expect(regions.slice(0, hip.tissues!.length).map((r) => r.medium)).toEqual(hip.tissues!.map((t) => t.medium));
    expect(regions.slice(-2).map((r) => r.medium)).toEqual(['blood', 'blood']);
    const capsule = regions.find((r) => r.medium === 'capsule')!;
    expect(capsule.fibreAxis).toEqual(hip.tissues!.find((t) => t.medium === 'capsule')!.fibreAxis);
    expect(caseAcousticRegions({ ...hip, tissues: undefined }).length).toBe(2);
  });

  const dciodvfy = ['/usr/bin/dciodvfy', '/usr/local/bin/dciodvfy'].find((p) => existsSync(p));
  it.skipIf(!dciodvfy)(`dciodvfy finds no errors in the shipped files${dciodvfy ? '' : ' (dicom3tools not installed: skipped)'}`, () => {
    for (const id of definitions.keys()) {
      for (const name of ['CT0001.dcm', 'CT0040.dcm']) {
        // dciodvfy writes its findings to stderr.
        const run = spawnSync(dciodvfy!, [join(SAMPLE, id, name)], { encoding: 'utf8' });
        const output = `${run.stdout}\n${run.stderr}`;
        expect(output).toContain('CTImage');
        const errors = output.split('\n').filter((line) => line.startsWith('Error'));
        expect(errors, `${id}/${name}`).toEqual([]);
      }
    }
  });
});

/** The femoral neck's axis (toward the head), its anterior normal and the head centre, from a hip case file. */
function neckFrame(hip: CaseFile): { neck: Vec3; anterior: Vec3; head: Vec3 } {
  const head = hip.landmarks!.find((l) => l.id === 'femoral-head-centre')!.point;
  const base = hip.landmarks!.find((l) => l.id === 'femoral-neck-base')!.point;
  const neck = normalize(subtract(head, base));
  const anterior = normalize(subtract([0, -1, 0], scale(neck, dot([0, -1, 0], neck))));
  return { neck, anterior, head };
}

/**
 * The bone-free window between adjacent laminae in the paramedian sagittal oblique view of a
 * level: parallel beams in the plane of a probe 20 mm left of the midline tilted 10° medially
 * (Ct mm), 0.25 mm apart along the spine; the window is the longest run of beams that reach the
 * dural sac before any bone; and the ligamentum flavum crossed by the central beam of it (mm).
 */
function interlaminarWindow(level: string): { width: number; flavumMm: number } {
  const definition = definitions.get('lumbar')!;
  const disc = buildLumbarColumn(L45_DISC_CENTRE).discs.find((d) => d.name === level)!;
  const [u, v, w] = disc.frame.axes;
  const tilt = (10 * Math.PI) / 180;
  const beam = normalize(addScaled(scale(v, -Math.cos(tilt)), u, -Math.sin(tilt)));
  const probe = addScaled(at(disc, 20, 25, 0), v, 88); // on the skin, 88 mm behind the sac's centre
  const bones = definition.layers.filter((l) => l.name === 'cortical bone').map((l) => l.shape);
  const sac = layerShape('lumbar', 'dural sac');
  const flava = definition.layers.filter((l) => l.name.startsWith('ligamentum flavum')).map((l) => l.shape);
  const reachesSac = (along: number) => {
    const from = addScaled(probe, w, along);
    let flavumMm = 0;
    for (let s = 40; s < 130; s += 0.2) {
      const p = addScaled(from, beam, s);
      if (flava.some((f) => f.distance(p) < 0)) flavumMm += 0.2;
      if (bones.some((b) => inside(b, p))) return { sac: false, flavumMm };
      if (sac.distance(p) < 0) return { sac: true, flavumMm };
    }
    return { sac: false, flavumMm };
  };
  const beams = Array.from({ length: 201 }, (_, i) => -25 + i * 0.25).map((along) => ({ along, ...reachesSac(along) }));
  let best = { from: 0, length: 0 };
  let run = 0;
  beams.forEach((b, i) => {
    run = b.sac ? run + 1 : 0;
    if (run > best.length) best = { from: i - run + 1, length: run };
  });
  return { width: best.length * 0.25, flavumMm: beams[best.from + (best.length >> 1)]!.flavumMm };
}

const inside = (shape: Shape, p: Vec3) => {
  const [min, max] = shape.bounds;
  return p.every((c, a) => c >= min[a]! && c <= max[a]!) && shape.distance(p) < 0;
};

/** Up to `count` points inside a shape, on a regular grid over its bounds (Ct mm). */
function samplesInside(shape: Shape, count: number): Vec3[] {
  const [min, max] = shape.bounds;
  const size = [0, 1, 2].map((a) => Math.max(0, Math.min(max[a]!, 400) - Math.max(min[a]!, -400)));
  const step = Math.cbrt((size[0]! * size[1]! * size[2]!) / (count * 8)) || 1;
  const points: Vec3[] = [];
  for (let x = Math.max(min[0], -400) + step / 2; x < Math.min(max[0], 400); x += step) {
    for (let y = Math.max(min[1], -400) + step / 2; y < Math.min(max[1], 400); y += step) {
      for (let z = Math.max(min[2], -400) + step / 2; z < Math.min(max[2], 400); z += step) {
        if (shape.distance([x, y, z]) < 0) points.push([x, y, z]);
      }
    }
  }
  return points;
}

/** HU-weighted centroid (Ct) of the voxels brighter than 500 HU within `radiusMm` of a point, and the peak HU. */
function brightCentroid(volume: CtVolume, around: Vec3, radiusMm: number): { centroid: Vec3; peak: number } {
  const [nx, ny, nz] = volume.geometry.dimensions;
  const c = ctToCtIjk(volume.geometry, around);
  const [sx, sy, sz] = volume.geometry.spacingMm;
  const ri = Math.ceil(radiusMm / sx);
  const rj = Math.ceil(radiusMm / sy);
  const rk = Math.ceil(radiusMm / sz);
  let total = 0;
  const sum: [number, number, number] = [0, 0, 0];
  let peak = -Infinity;
  for (let k = Math.round(c[2]) - rk; k <= Math.round(c[2]) + rk; k++) {
    for (let j = Math.round(c[1]) - rj; j <= Math.round(c[1]) + rj; j++) {
      for (let i = Math.round(c[0]) - ri; i <= Math.round(c[0]) + ri; i++) {
        if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) continue;
        const hu = volume.huVoxels[i + j * nx + k * nx * ny]!;
        peak = Math.max(peak, hu);
        // Weight: bead contrast above the marker plastic / soft tissue around it.
        const w = Math.max(0, hu - 150);
        if (hu < 500 && w > 0) continue;
        const p = ctIjkToCt(volume.geometry, [i, j, k]);
        total += w;
        sum[0] += w * p[0];
        sum[1] += w * p[1];
        sum[2] += w * p[2];
      }
    }
  }
  return { centroid: [sum[0]! / total, sum[1]! / total, sum[2]! / total], peak };
}

/** RMS distance of points from their least-squares plane (the smallest principal axis). */
function distanceFromBestPlane(points: readonly Vec3[]): number {
  const n = points.length;
  const mean = [0, 1, 2].map((a) => points.reduce((s, p) => s + p[a]!, 0) / n);
  const cov = [0, 1, 2].map((a) => [0, 1, 2].map((b) => points.reduce((s, p) => s + (p[a]! - mean[a]!) * (p[b]! - mean[b]!), 0) / n));
  // Smallest eigenvalue of the 3×3 covariance by the characteristic cubic (symmetric: three real roots).
  const [[a, b, c], [, d, e], [, , f]] = cov as [[number, number, number], [number, number, number], [number, number, number]];
  const p1 = b * b + c * c + e * e;
  const q = (a + d + f) / 3;
  const p2 = (a - q) ** 2 + (d - q) ** 2 + (f - q) ** 2 + 2 * p1;
  const p = Math.sqrt(p2 / 6);
  const B = [
    [(a - q) / p, b / p, c / p],
    [b / p, (d - q) / p, e / p],
    [c / p, e / p, (f - q) / p],
  ];
  const detB =
    B[0]![0]! * (B[1]![1]! * B[2]![2]! - B[1]![2]! * B[2]![1]!) -
    B[0]![1]! * (B[1]![0]! * B[2]![2]! - B[1]![2]! * B[2]![0]!) +
    B[0]![2]! * (B[1]![0]! * B[2]![1]! - B[1]![1]! * B[2]![0]!);
  const phi = Math.acos(Math.min(1, Math.max(-1, detB / 2))) / 3;
  const smallest = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
  return Math.sqrt(Math.max(0, smallest));
}
