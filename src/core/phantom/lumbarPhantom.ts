import { addScaled, dot, normalize, scale, subtract, type Vec3 } from '../geometry/vec3';
import type { CaseFile, AvoidStructure, CaseTarget, CaseTissue, FeedbackRegion } from '../cases/caseFile';
import { CASE_SCHEMA, CASE_SCHEMA_VERSION } from '../cases/caseFile';
import { seededRandom } from '../random/seededRandom';
import { roundPoint, roundShape, shapeOf, type AnalyticShape } from './avoidShapes';
import {
  buildLumbarColumn,
  at,
  canalCentreline,
  discShape,
  exitingRootPath,
  facetJoints,
  facetProcesses,
  nucleusShape,
  posteriorElements,
  type Disc,
  type Vertebra,
} from './lumbarSpine';
import { HU, type PhantomLayer } from './phantomLayer';
import { ligamentumFlavum } from './lumbarLigamentumFlavum';
import { tubeTissues } from './tissueCover';
import type { PhantomDefinition } from './phantomDefinition';
import { caseFiducials, markerLayers, placeMarker, skinPoint } from './fiducialMarker';
import { ellipsoid, ellipticCylinder, frameFrom, intersect, halfSpace, offset, stretchX, tube, type Shape } from './sdf';

/** L4–L5 disc centre (Ct mm); everything else is placed around it. */
const L45_DISC: Vec3 = [0, 20, -25];
/** Body outline: elliptic, centred a little anterior of the disc; 330 × 236 mm. */
const BODY_CENTRE: Vec3 = [0, L45_DISC[1] - 5, 0];
const BODY_HALF_WIDTH = 165;
const BODY_HALF_DEPTH = 118;

/**
 * Lumbar phantom, patient prone (HFP) as in the reference study: L1–S1 with lordosis,
 * discs, facet joints, canal with dural sac and exiting roots, paraspinal muscles, psoas,
 * quadratus lumborum, kidneys' lower poles, aorta and IVC, bowel with gas, an external
 * fiducial marker and skin markers.
 */
export function lumbarPhantom(seed: number): PhantomDefinition {
  const { vertebrae, discs } = buildLumbarColumn(L45_DISC);
  const level = (name: string) => vertebrae.find((v) => v.name === name)!;
  const disc = (name: string) => discs.find((d) => d.name === name)!;
  const joints = facetJoints(vertebrae);
  const random = seededRandom(seed);

  const body = ellipticCylinder(frameFrom(BODY_CENTRE, [1, 0, 0], [0, 0, 1]), BODY_HALF_WIDTH, BODY_HALF_DEPTH, 400, 0);
  const layers: PhantomLayer[] = [
    { name: 'skin', shape: body, hu: HU.skin },
    { name: 'subcutaneous fat', shape: offset(body, -2), hu: HU.fat },
    { name: 'trunk muscle wall', shape: offset(body, -24), hu: HU.muscle },
    { name: 'abdominal cavity', shape: ellipticCylinder(frameFrom([0, L45_DISC[1] - 48, 0], [1, 0, 0], [0, 0, 1]), 128, 70, 400), hu: HU.viscera },
    { name: 'retroperitoneal fat', shape: ellipticCylinder(frameFrom([0, L45_DISC[1] + 2, 0], [1, 0, 0], [0, 0, 1]), 105, 45, 400), hu: HU.fat + 10 },
  ];

  // Kidneys' lower poles (T12–L3), posterolateral, in perirenal fat.
  for (const side of [-1, 1]) {
    const centre: Vec3 = [side * 72, L45_DISC[1] + 28, 105];
    const frame = frameFrom(centre, [1, 0, 0], [side * -0.25, 0.1, 1]);
    layers.push({ name: 'perirenal fat', shape: ellipsoid(frame, [34, 30, 66]), hu: HU.fat });
    layers.push({ name: 'kidney', shape: ellipsoid(frame, [26, 22, 58]), hu: HU.kidney });
  }

  // Paraspinal muscles, each in a thin fat sheath.
  const tissues: CaseTissue[] = [];
  for (const side of [-1, 1] as const) {
    const erector = vertebrae.map((v) => at(v, side * 34, 60, 0));
    const quadratus = vertebrae.filter((v) => v.name !== 'S1').map((v) => at(v, side * 64, 30, 0));
    const psoas = vertebrae.map((v, i) => at(v, side * (v.halfWidth + 6 + i * 3), -4 - i * 1.5, 0));
    const psoasRadii = vertebrae.map((_, i) => 7 + i * 3);
    // Erector spinae with multifidus fill the gutter beside the spinous processes: ~60 mm wide, ~44 mm deep.
    const erectorAt = (radius: number) => stretchX(tube(erector, radius), side * 34, 1.4);
    layers.push({ name: 'fat plane', shape: erectorAt(23.5), hu: HU.fat });
    layers.push({ name: 'erector spinae and multifidus', shape: erectorAt(22), hu: HU.muscle });
    const quadratusAt = (radius: number) => stretchX(tube(quadratus, radius), side * 64, 1.6);
    layers.push({ name: 'fat plane', shape: quadratusAt(10), hu: HU.fat });
    layers.push({ name: 'quadratus lumborum', shape: quadratusAt(8.5), hu: HU.muscle });
    layers.push({
      name: 'fat plane',
      shape: tube(
        psoas,
        psoasRadii.map((r) => r + 2),
      ),
      hu: HU.fat,
    });
    layers.push({ name: 'psoas', shape: tube(psoas, psoasRadii), hu: HU.muscle });
    // The same muscles in the case file's tissue list: fibres along each (cranio-caudal, following the lordosis).
    tissues.push(
      ...tubeTissues('erector spinae and multifidus', 'muscle', erector, 22, { centreX: side * 34, factor: 1.4 }),
      ...tubeTissues('quadratus lumborum', 'muscle', quadratus, 8.5, { centreX: side * 64, factor: 1.6 }),
      ...tubeTissues('psoas', 'muscle', psoas, psoasRadii),
    );
  }

  // Great vessels: aorta left-anterior, bifurcating at L4; IVC right-anterior, joining at L5.
  const front = (v: Vertebra, lateral: number, gap: number) => at(v, lateral, -v.halfDepth - gap, 0);
  const aortaPath = ['L1', 'L2', 'L3', 'L4'].map((n) => front(level(n), 15, 13));
  const aorta: AnalyticShape = { type: 'tube', points: aortaPath, radiusMm: 10 };
  const iliacArteries = [-1, 1].map((side): AnalyticShape => ({
    type: 'tube',
    points: [aortaPath[3]!, front(level('L5'), side * 26, 30), front(level('S1'), side * 50, 14)],
    radiusMm: 5.5,
  }));
  const ivcPath = ['L1', 'L2', 'L3', 'L4', 'L5'].map((n) => front(level(n), -20, 14));
  const ivc: AnalyticShape = { type: 'tube', points: ivcPath, radiusMm: 11.5 };
  const iliacVeins = [-1, 1].map((side): AnalyticShape => ({ type: 'tube', points: [ivcPath[4]!, front(level('S1'), side * 42, 4)], radiusMm: 7 }));
  for (const vessel of [aorta, ...iliacArteries, ivc, ...iliacVeins]) layers.push({ name: 'great vessel', shape: shapeOf(vessel), hu: HU.blood });

  // Bowel loops in the anterior abdomen; prone, so gas rises to their posterior (upper) side.
  const bowel: AnalyticShape[] = [];
  for (let loop = 0; loop < 7; loop++) {
    const x0 = -90 + loop * 30 + (random.next() - 0.5) * 16;
    const y0 = L45_DISC[1] - 58 - random.next() * 24;
    const z0 = -90 + random.next() * 160;
    const points: Vec3[] = [];
    for (let k = 0; k < 5; k++) points.push([x0 + Math.sin(k * 1.3 + loop) * 22, y0 + Math.cos(k * 0.9 + loop) * 8, z0 + (k - 2) * 22]);
    const radius = 10 + random.next() * 5;
    bowel.push({ type: 'tube', points, radiusMm: radius });
    const wall = tube(points, radius);
    layers.push({ name: 'bowel wall', shape: wall, hu: HU.muscle - 10 });
    layers.push({ name: 'bowel content', shape: offset(wall, -2.5), hu: HU.bowelContent });
    const gasLevel = y0 + radius * (0.1 + random.next() * 0.4);
    layers.push({ name: 'bowel gas', shape: intersect(offset(wall, -2.5), halfSpace([0, gasLevel, 0], [0, -1, 0])), hu: HU.bowelGas });
  }

  // Spinal canal: epidural fat, the dural sac (CSF) and the nerve roots.
  const canal = canalCentreline(vertebrae);
  const duralSac: AnalyticShape = {
    type: 'tube',
    points: canalCentreline(
      vertebrae.filter((v) => v.name !== 'S1'),
      25,
    ),
    radiusMm: 7.5,
  };
  layers.push({ name: 'epidural fat', shape: tube(canal, 11), hu: HU.fat });
  layers.push({ name: 'dural sac', shape: shapeOf(duralSac), hu: HU.csf });
  const roots: { name: string; shape: AnalyticShape }[] = [];
  for (const v of vertebrae.filter((x) => x.name !== 'S1')) {
    for (const side of [-1, 1] as const) {
      roots.push({ name: `${v.name} exiting root, ${side > 0 ? 'left' : 'right'}`, shape: { type: 'tube', points: exitingRootPath(v, side), radiusMm: 3 } });
    }
  }
  for (const root of roots) layers.push({ name: root.name, shape: shapeOf(root.shape), hu: HU.nerve });
  // Discs: annulus, then nucleus.
  for (const d of discs) {
    layers.push({ name: `${d.name} annulus`, shape: discShape(d), hu: HU.annulus });
    layers.push({ name: `${d.name} nucleus`, shape: nucleusShape(d), hu: HU.nucleus });
  }

  // Facet joints: the capsule's fluid, then the two processes with the joint gap between them.
  for (const joint of joints) layers.push({ name: `${joint.name} facet joint`, shape: facetProcesses(joint).capsule, hu: HU.jointFluid + 30 });
  // Ligamentum flavum across each interlaminar window, behind the sac; over the facet capsules'
  // medial edge (it forms their front), under the laminae (painted next).
  const flava: { name: string; shape: AnalyticShape }[] = [];
  for (let i = 0; i + 1 < vertebrae.length; i++) {
    for (const side of [-1, 1] as const) {
      const [upper, lower] = [vertebrae[i]!, vertebrae[i + 1]!];
      flava.push({ name: `ligamentum flavum ${upper.name}–${lower.name} ${side > 0 ? 'left' : 'right'}`, shape: ligamentumFlavum(upper, lower, side) });
    }
  }
  for (const flavum of flava) layers.push({ name: flavum.name, shape: shapeOf(flavum.shape), hu: HU.ligamentumFlavum });
  // Fibrous, its fibres cranio-caudal from lamina to lamina (the ellipsoid's third axis): textured as a tendon.
  for (const flavum of flava) {
    if (flavum.shape.type === 'ellipsoid') tissues.push({ name: flavum.name, medium: 'tendon', shape: flavum.shape, fibreAxis: flavum.shape.axes[2] });
  }

  // Bone: cortical shell, then cancellous core (1.3 mm inside).
  const bones: Shape[] = [...vertebrae.map(posteriorElements), ...joints.flatMap((j) => [facetProcesses(j).superior, facetProcesses(j).inferior])];
  for (const bone of bones) {
    layers.push({ name: 'cortical bone', shape: bone, hu: HU.cortical });
    layers.push({ name: 'cancellous bone', shape: offset(bone, -1.3), hu: HU.cancellous });
  }

  // External fiducial marker on the right paravertebral skin at L4–L5, and four skin markers.
  const bodyShape = body;
  const marker = placeMarker(bodyShape, [-68, L45_DISC[1] + 200, L45_DISC[2] + 8], [0, 1, 0], [0, 0, 1]);
  layers.push(...markerLayers(marker));
  const skinMarkers = [
    { id: 'S1', at: [90, 200, 70] as Vec3 },
    { id: 'S2', at: [-95, 200, 60] as Vec3 },
    { id: 'S3', at: [100, 200, -90] as Vec3 },
    { id: 'S4', at: [-85, 200, -95] as Vec3 },
  ].map(({ id, at: from }) => ({ id, centre: addScaled(skinPoint(bodyShape, from, [0, -1, 0]), [0, 1, 0], 1.5), diameterMm: 3 }));
  for (const s of skinMarkers) layers.push({ name: `skin marker ${s.id}`, shape: shapeOf({ type: 'sphere', centre: s.centre, radiusMm: s.diameterMm / 2 }), hu: HU.bead });

  // Targets and the suggested postero-lateral path (left, 41° from the sagittal plane).
  const nucleusCentre = (name: string) => at(disc(name), 0, 2, 0);
  const targets: CaseTarget[] = [
    { id: 'disc-L4-L5', name: 'L4–L5 disc, nucleus centre', priority: 'primary', centre: roundPoint(nucleusCentre('L4–L5')), acceptanceRadiusMm: 5 },
    { id: 'disc-L5-S1', name: 'L5–S1 disc, nucleus centre', priority: 'primary', centre: roundPoint(nucleusCentre('L5–S1')), acceptanceRadiusMm: 5 },
    ...joints
      .filter((j) => ['L3', 'L4', 'L5'].includes(j.upper.name))
      .map((j): CaseTarget => ({
        id: `facet-${j.upper.name}-${j.lower.name}-${j.side > 0 ? 'left' : 'right'}`,
        name: `${j.name} facet joint`,
        priority: 'secondary',
        centre: roundPoint(j.centre),
        acceptanceRadiusMm: 4,
      })),
  ];
  const primary = targets[0]!.centre;
  // In the L4–L5 disc plane (the needle follows the disc), 41° from the sagittal plane toward the left.
  const l45 = disc('L4–L5').frame;
  const pathDirection = normalize(addScaled(scale(l45.axes[0], Math.sin((41 * Math.PI) / 180)), l45.axes[1], Math.cos((41 * Math.PI) / 180)));
  const entry = skinPoint(bodyShape, addScaled(primary, pathDirection, 250), scale(pathDirection, -1));

  const avoid: AvoidStructure[] = [
    { id: 'dural-sac', name: 'Dural sac (CSF)', kind: 'dural-sac', shape: roundShape(duralSac) },
    ...roots
      .filter((r) => /^L[345]/.test(r.name))
      .map((r): AvoidStructure => ({ id: r.name.replace(/[ ,]+/g, '-').toLowerCase(), name: r.name, kind: 'nerve', shape: roundShape(r.shape) })),
    // Unenhanced blood looks like muscle on CT; the ultrasound shows the lumen anechoic, the arteries beating.
    { id: 'aorta', name: 'Abdominal aorta', kind: 'artery', shape: roundShape(aorta), acoustic: { medium: 'blood', pulsation: { beatsPerMinute: 70, radiusChangeMm: 0.8 } } },
    { id: 'ivc', name: 'Inferior vena cava', kind: 'vein', shape: roundShape(ivc), acoustic: { medium: 'blood' } },
    ...iliacArteries.map((s, i): AvoidStructure => ({
      id: `common-iliac-artery-${i ? 'left' : 'right'}`,
      name: `Common iliac artery, ${i ? 'left' : 'right'}`,
      kind: 'artery',
      shape: roundShape(s),
      acoustic: { medium: 'blood', pulsation: { beatsPerMinute: 70, radiusChangeMm: 0.45 } },
    })),
    ...bowel.map((s, i): AvoidStructure => ({ id: `bowel-${i + 1}`, name: `Bowel loop ${i + 1}`, kind: 'bowel', shape: roundShape(s) })),
  ];

  // The operator feels the needle enter a disc (the Study): every painted disc, as an ellipsoid.
  const feedbackRegions: FeedbackRegion[] = discs.map((d) => ({
    id: `${d.name.replace('–', '-')}-disc`,
    name: `${d.name} disc`,
    kind: 'disc',
    shape: discEllipsoid(d),
  }));

  const caseFile: CaseFile = {
    schema: CASE_SCHEMA,
    schemaVersion: CASE_SCHEMA_VERSION,
    id: 'lumbar',
    title: 'Lumbar intradiscal injection, L4–L5 (synthetic phantom)',
    description:
      'Prone lumbar CT phantom L1–S1 with lordosis. Reach the centre of the L4–L5 nucleus (then L5–S1) by a postero-lateral oblique in-plane path through the safe triangle, lateral to the superior articular process, between the exiting root and the dural sac. Facet joints L3–S1 are secondary targets.',
    series: { seriesInstanceUid: '', patientPosition: 'HFP' },
    targets,
    avoid,
    feedbackRegions,
    tissues,
    fiducials: caseFiducials(marker, skinMarkers),
    procedure: {
      name: 'US/CT fusion-guided lumbar intradiscal injection',
      approach:
        'Paravertebral postero-lateral oblique, in plane, from the left, in the plane of the L4–L5 disc, about 41° from the sagittal plane, entering about 8–9 cm from the midline',
      probe: { type: 'curvilinear', frequencyMHz: 3.5 },
      needle: { gauge: 22, lengthMm: 150, type: 'spinal (Quincke)' },
      suggestedEntry: roundPoint(entry),
    },
  };

  return {
    id: 'lumbar',
    seriesDescription: 'Synthetic phantom: lumbar spine L1-S1, prone (not a patient)',
    bodyPartExamined: 'LSPINE',
    patientPosition: 'HFP',
    geometry: {
      dimensions: [400, 310, 81],
      spacingMm: [0.9, 0.9, 2.5],
      // Prone: image rows run toward the patient's right, columns toward anterior (back at the top).
      originInCt: [179.55, L45_DISC[1] + 139.5, -105],
      axesInCt: [
        [-1, 0, 0],
        [0, -1, 0],
        [0, 0, 1],
      ],
    },
    sliceThicknessMm: 2.5,
    layers,
    noiseSdHu: 14,
    caseFile,
  };
}

/**
 * The ellipsoid standing for a painted disc in the case file (a disc is painted as the bodies'
 * outline clipped by the two endplate planes, which no case-file shape can say). In the disc's
 * frame: the painted footprint in the mid-plane (the semi-axes `discShape` uses, so the rim
 * matches where a needle in the disc plane enters the annulus), and the half-height at the centre
 * (to the endplate planes). It lies inside the painted disc but for the posterior part of a
 * wedged disc, where it pokes under half a millimetre past the endplates.
 */
function discEllipsoid(d: Disc): AnalyticShape {
  const { upper, lower, frame } = d;
  const [u, v, w] = frame.axes;
  const toPlane = (point: Vec3, normal: Vec3) => Math.abs(dot(subtract(point, frame.origin), normal) / dot(w, normal));
  const halfHeight = Math.min(toPlane(at(upper, 0, 0, -upper.halfHeight), upper.frame.axes[2]), toPlane(at(lower, 0, 0, lower.halfHeight), lower.frame.axes[2]));
  const round6 = (a: Vec3): Vec3 => [Math.round(a[0] * 1e6) / 1e6, Math.round(a[1] * 1e6) / 1e6, Math.round(a[2] * 1e6) / 1e6];
  const mm = (x: number) => Math.round(x * 100) / 100;
  return {
    type: 'ellipsoid',
    centre: roundPoint(frame.origin),
    axes: [round6(u), round6(v), round6(w)],
    radiiMm: [mm((upper.halfWidth + lower.halfWidth) / 2 - 0.5), mm((upper.halfDepth + lower.halfDepth) / 2 - 0.5), mm(halfHeight)],
  };
}
