import { addScaled, cross, dot, normalize, scale, subtract, type Vec3 } from '../geometry/vec3';
import { CASE_SCHEMA, CASE_SCHEMA_VERSION, type AvoidStructure, type CaseFile, type CaseTarget, type CaseTissue, type FeedbackRegion } from '../cases/caseFile';
import { roundPoint, roundShape, shapeOf, type AnalyticShape } from './avoidShapes';
import { caseFiducials, markerLayers, placeMarker, skinPoint } from './fiducialMarker';
import { HU, type PhantomLayer } from './phantomLayer';
import type { PhantomDefinition } from './phantomDefinition';
import { capsule, ellipseDistance, ellipsoid, frameFrom, halfSpace, intersect, offset, smoothUnion, sphere, stretchX, subtractShape, torus, tube, union, type Shape } from './sdf';
import { tubeTissues } from './tissueCover';
import { capsuleFeedbackRegion, capsuleTissues, COLLAPSED_RECESS, EFFUSION, hipCapsuleShapes, type HipCapsuleVariant } from './hipCapsule';

/** Right femoral head centre (Ct mm): the patient's right is −x. */
const HEAD: Vec3 = [-92, -32, -60];
const HEAD_RADIUS = 24; // 48 mm head
const HEAD_CARTILAGE_MM = 1.8;
const NECK_RADIUS = 15; // 30 mm at its narrowest
const NECK_SHAFT_DEG = 130;
const FEMORAL_ANTEVERSION_DEG = 12;
const ACETABULAR_INCLINATION_DEG = 45;
const ACETABULAR_ANTEVERSION_DEG = 18;
/** The lowered anterior wall ends this far in front of the head centre along the neck's anterior normal (mm). */
const ANTERIOR_WALL_CUT_MM = 25;

const deg = (d: number) => (d * Math.PI) / 180;
const round6 = (a: Vec3): Vec3 => [Math.round(a[0] * 1e6) / 1e6, Math.round(a[1] * 1e6) / 1e6, Math.round(a[2] * 1e6) / 1e6];

/**
 * Right hip phantom, patient supine (HFS): acetabulum with cartilage and labrum, femoral head,
 * neck and trochanters, proximal shaft, joint capsule with its anterior recess, iliopsoas,
 * sartorius, rectus femoris, tensor fasciae latae, glutei, thigh muscles, the femoral nerve,
 * artery and vein (lateral to medial), fat and skin, and fiducial markers.
 */
export function hipPhantom(_seed: number, variant: HipCapsuleVariant = COLLAPSED_RECESS): PhantomDefinition {
  const effusion = variant.id === 'effusion';
  // Axes: medial is +x for the right hip; anterior −y; superior +z.
  const shaftDown = normalize([0.12, 0, -1]); // anatomical axis, slightly medial distally
  const elevation = deg(180 - NECK_SHAFT_DEG); // neck above horizontal
  const neck: Vec3 = normalize([Math.cos(elevation) * Math.cos(deg(FEMORAL_ANTEVERSION_DEG)), -Math.cos(elevation) * Math.sin(deg(FEMORAL_ANTEVERSION_DEG)), Math.sin(elevation)]);
  const neckBase = addScaled(HEAD, neck, -48);
  const acetabularAxis: Vec3 = normalize([
    -Math.cos(deg(ACETABULAR_INCLINATION_DEG)) * Math.cos(deg(ACETABULAR_ANTEVERSION_DEG)),
    -Math.cos(deg(ACETABULAR_INCLINATION_DEG)) * Math.sin(deg(ACETABULAR_ANTEVERSION_DEG)),
    -Math.sin(deg(ACETABULAR_INCLINATION_DEG)),
  ]);
  const rel = (dx: number, dy: number, dz: number): Vec3 => [HEAD[0] + dx, HEAD[1] + dy, HEAD[2] + dz];
  // The neck's anterior normal: the direction the oblique-sagittal view along the neck looks from.
  const anteriorOfNeck = normalize(subtract([0, -1, 0], scale(neck, dot([0, -1, 0], neck))));
  // Femur: head, neck, greater and lesser trochanters, shaft (painted after the pelvis).
  const femur = smoothUnion(
    8,
    sphere(HEAD, HEAD_RADIUS),
    capsule(addScaled(HEAD, neck, -8), neckBase, NECK_RADIUS, NECK_RADIUS + 3),
    ellipsoid(frameFrom(addScaled(neckBase, [-1, 0.15, 0.25], 16), [0, 1, 0], [0.2, 0, 1]), [14, 22, 24]),
    ellipsoid(frameFrom(addScaled(addScaled(neckBase, shaftDown, 42), [1, 0.7, 0], 11), [1, 0, 0], [0, 0, 1]), [8, 8, 10]),
    capsule(addScaled(neckBase, shaftDown, 5), addScaled(neckBase, shaftDown, 220), 15),
  );

  const body = bodyOutline();
  const layers: PhantomLayer[] = [
    { name: 'skin', shape: body, hu: HU.skin },
    { name: 'subcutaneous fat', shape: offset(body, -2), hu: HU.fat },
  ];
  // Muscles stay under the subcutaneous fat (at least 6 mm of it), whatever their tubes' reach.
  const underFat = offset(body, -6);
  const muscle = (name: string, shape: Shape) => {
    layers.push({ name: `${name} fat plane`, shape: intersect(offset(shape, 1.5), underFat), hu: HU.fat });
    layers.push({ name, shape: intersect(shape, offset(underFat, -1.5)), hu: HU.muscle });
  };
  // Deep to the fat: pelvic wall and thigh muscles, then the named muscles around the joint.
  // The case file's tissue list (fibre axes for the ultrasound texture) covers these very shapes.
  const tissues: CaseTissue[] = [];
  const tubeMuscle = (name: string, points: Vec3[], radii: number[] | number, stretch?: { centreX: number; factor: number }) => {
    const shape = tube(points, radii);
    muscle(name, stretch ? stretchX(shape, stretch.centreX, stretch.factor) : shape);
    tissues.push(...tubeTissues(name, 'muscle', points, radii, stretch));
  };
  const ellipsoidMuscle = (name: string, centre: Vec3, uHint: Vec3, wHint: Vec3, radii: Vec3, fibreAxis: Vec3) => {
    const frame = frameFrom(centre, uHint, wHint);
    muscle(name, ellipsoid(frame, radii));
    tissues.push({
      name,
      medium: 'muscle',
      shape: { type: 'ellipsoid', centre: roundPoint(centre), axes: frame.axes.map(round6) as unknown as [Vec3, Vec3, Vec3], radiiMm: radii },
      fibreAxis,
    });
  };
  muscle('pelvic wall muscles', ellipsoid(frameFrom(rel(55, 15, 30), [1, 0, 0], [0, 0, 1]), [45, 60, 60]));
  // Gluteus maximus fibres run inferolaterally from the sacrum and ilium to the femur and fascia lata (lateral is −x).
  ellipsoidMuscle('gluteus maximus', rel(-10, 80, -10), [1, 0, 0], [0, 0.3, 1], [62, 28, 80], [-0.6, 0, -0.8]);
  // Gluteus medius and minimus converge from the iliac wing onto the greater trochanter.
  ellipsoidMuscle('gluteus medius and minimus', rel(-38, 30, 55), [1, 0, 0], [0.3, 0, 1], [26, 42, 50], round6(normalize([0.3, 0, 1])));
  tubeMuscle('vasti around the shaft', [addScaled(neckBase, shaftDown, 10), addScaled(neckBase, shaftDown, 220)], 52, { centreX: neckBase[0], factor: 1.05 });
  tubeMuscle('adductors', [rel(62, 20, -40), rel(52, 15, -180)], 34);
  tubeMuscle('iliopsoas', [rel(40, -28, 80), rel(18, -40, 20), rel(12, -36, -20), rel(24, -6, -62)], [20, 15, 12, 7]);
  tubeMuscle('rectus femoris', [rel(-14, -36, 38), rel(-16, -50, -30), rel(-6, -56, -150)], [6, 11, 14]);
  tubeMuscle('tensor fasciae latae', [rel(-60, -40, 60), rel(-75, -22, -10), rel(-80, -12, -110)], [7, 9, 6], { centreX: HEAD[0] - 70, factor: 1.6 });
  tubeMuscle('sartorius', [rel(-52, -48, 62), rel(-22, -60, -10), rel(28, -54, -120), rel(55, -40, -190)], 6, { centreX: HEAD[0], factor: 1.4 });
  const iliopsoasTendon: Vec3[] = [rel(14, -30, 15), rel(12, -26, -20), rel(22, -8, -58)];
  tissues.push(...tubeTissues('iliopsoas tendon', 'tendon', iliopsoasTendon, 4));
  layers.push({ name: 'iliopsoas tendon', shape: tube(iliopsoasTendon, 4), hu: HU.tendon });

  // Femoral nerve, artery and vein, lateral to medial, anterior to the medial head and the iliopsoas.
  const bundle = (dx: number) => [rel(dx + 6, -46, 60), rel(dx, -50, 0), rel(dx + 6, -54, -60), rel(dx + 16, -52, -140)];
  const femoralNerve: AnalyticShape = { type: 'tube', points: bundle(20), radiusMm: 4 };
  const femoralArtery: AnalyticShape = { type: 'tube', points: bundle(32), radiusMm: 4.5 };
  const femoralVein: AnalyticShape = { type: 'tube', points: bundle(44), radiusMm: 5.5 };
  layers.push({ name: 'femoral sheath fat', shape: tube(bundle(32), 16), hu: HU.fat });
  layers.push({ name: 'femoral nerve', shape: stretchX(tube(bundle(20), 2.6), HEAD[0] + 20, 1.7), hu: HU.nerve });
  layers.push({ name: 'femoral artery', shape: shapeOf(femoralArtery), hu: HU.blood });
  layers.push({ name: 'femoral vein', shape: shapeOf(femoralVein), hu: HU.blood });

  // Joint capsule on the neck and head, the synovial fluid of the recess under it (collapsed by default).
  const { capsule: capsuleShape, fluid: recessFluid } = hipCapsuleShapes(femur, HEAD, neck, variant);
  layers.push({ name: 'joint capsule', shape: capsuleShape, hu: HU.capsule });
  layers.push({ name: 'synovial fluid', shape: recessFluid, hu: HU.jointFluid });

  // Pelvis: acetabulum (a cup covering ~2/3 of the head), ilium, superior pubic ramus, ischium.
  const rimOffset = 9; // cup edge beyond the head's equator, mm along the acetabular axis
  // The anterior wall is lower (A&P): cut where it would stand in front of the head along the neck's
  // anterior normal, so the oblique-sagittal view sees the head's round contour past its apex.
  const anteriorWallCut = halfSpace(addScaled(HEAD, anteriorOfNeck, ANTERIOR_WALL_CUT_MM), anteriorOfNeck);
  const cupSide = intersect(halfSpace(addScaled(HEAD, acetabularAxis, rimOffset), acetabularAxis), anteriorWallCut);
  const pelvis = smoothUnion(
    6,
    intersect(sphere(HEAD, 45), cupSide),
    capsule(rel(-4, 14, 32), rel(-34, 34, 85), 16, 12),
    capsule(rel(18, -14, -6), rel(80, -26, -18), 11, 8),
    capsule(rel(8, 24, -22), rel(14, 36, -70), 14, 16),
  );
  const socket = intersect(sphere(HEAD, 28.5), cupSide);
  const pelvisWithSocket = subtractShape(pelvis, socket);
  layers.push({ name: 'pelvis cortex', shape: pelvisWithSocket, hu: HU.cortical });
  layers.push({ name: 'pelvis cancellous', shape: offset(pelvisWithSocket, -1.5), hu: HU.cancellous });
  layers.push({ name: 'acetabular cartilage', shape: socket, hu: HU.cartilage });
  layers.push({ name: 'joint space', shape: intersect(sphere(HEAD, 26.5), cupSide), hu: HU.jointFluid });
  const rimCentre = addScaled(HEAD, acetabularAxis, rimOffset);
  // The labrum along the rim: the original rim where the wall stands, and along the lowered anterior edge.
  const rimLabrum = torus(frameFrom(rimCentre, cross(acetabularAxis, [0, 1, 0]), acetabularAxis), Math.sqrt(28.5 ** 2 - rimOffset ** 2) + 1, 3.5);
  const cutCentre = addScaled(HEAD, anteriorOfNeck, ANTERIOR_WALL_CUT_MM);
  const cutLabrum = torus(frameFrom(cutCentre, cross(anteriorOfNeck, [0, 0, 1]), anteriorOfNeck), Math.sqrt(28.5 ** 2 - ANTERIOR_WALL_CUT_MM ** 2) + 1, 3.5);
  const labrum = union(intersect(rimLabrum, offset(anteriorWallCut, -1)), intersect(cutLabrum, offset(halfSpace(addScaled(HEAD, acetabularAxis, rimOffset), acetabularAxis), -1)));
  layers.push({ name: 'labrum', shape: labrum, hu: HU.labrum });
  layers.push({ name: 'femoral head cartilage', shape: sphere(HEAD, HEAD_RADIUS + HEAD_CARTILAGE_MM), hu: HU.cartilage });

  // Femur (shape above, with the capsule): cortex, cancellous bone, fatty marrow.
  layers.push({ name: 'femur cortex', shape: femur, hu: HU.cortical });
  layers.push({ name: 'femur cancellous', shape: offset(femur, -1.6), hu: HU.femoralHeadCancellous });
  layers.push({ name: 'shaft cortex', shape: capsule(addScaled(neckBase, shaftDown, 70), addScaled(neckBase, shaftDown, 220), 15), hu: HU.cortical + 200 });
  layers.push({ name: 'medullary canal', shape: capsule(addScaled(neckBase, shaftDown, 75), addScaled(neckBase, shaftDown, 230), 9), hu: HU.marrowFattyShaft });

  // Target: the anterior recess at the head–neck junction, midway between the neck's anterior
  // cortex and the capsule's deep surface, found along the anterior normal to the neck axis.
  const junction = addScaled(HEAD, neck, -(HEAD_RADIUS - 2));
  const boneSurface = skinPoint(femur, addScaled(junction, anteriorOfNeck, 40), scale(anteriorOfNeck, -1));
  const capsuleInner = skinPoint(recessFluid, addScaled(junction, anteriorOfNeck, 40), scale(anteriorOfNeck, -1));
  const recess = scale(addScaled(boneSurface, capsuleInner, 1), 0.5);
  const recessDepth = dot(subtract(capsuleInner, boneSurface), anteriorOfNeck);
  // Needle from inferior-anterior, in the plane of the neck and its anterior normal, 45° to the neck.
  const needleBack = normalize(addScaled(anteriorOfNeck, neck, -1));
  const entry = skinPoint(body, addScaled(recess, needleBack, 200), scale(needleBack, -1));

  // Fiducials: the marker on the anterior skin lateral and superior to the joint; four skin markers.
  const marker = placeMarker(body, rel(-45, -200, 42), [0, -1, 0], [0, 0, 1]);
  layers.push(...markerLayers(marker));
  const skinMarkers = [rel(-15, -200, 48), rel(-70, -200, -80), rel(40, -200, -70), rel(-60, -200, 15)].map((from, i) => ({
    id: `H${i + 1}`,
    centre: addScaled(skinPoint(body, from, [0, 1, 0]), [0, -1, 0], 1.5),
    diameterMm: 3,
  }));
  for (const s of skinMarkers) layers.push({ name: `skin marker ${s.id}`, shape: sphere(s.centre, s.diameterMm / 2), hu: HU.bead });

  const targets: CaseTarget[] = [
    {
      id: 'hip-anterior-recess',
      name: 'Anterior joint recess at the head–neck junction',
      priority: 'primary',
      centre: roundPoint(recess),
      acceptanceRadiusMm: Math.max(1.5, Math.min(3, recessDepth / 2)),
    },
    {
      id: 'femoral-head-anterior',
      name: 'Anterior surface of the femoral head (anterolateral approach)',
      priority: 'secondary',
      centre: roundPoint(addScaled(HEAD, normalize([-0.45, -1, 0.1]), HEAD_RADIUS + 1)),
      acceptanceRadiusMm: 3,
    },
  ];
  const avoid: AvoidStructure[] = [
    { id: 'femoral-nerve', name: 'Femoral nerve', kind: 'nerve', shape: roundShape(femoralNerve) },
    // Unenhanced blood looks like muscle on CT; the ultrasound shows the lumen anechoic, the artery beating.
    {
      id: 'femoral-artery',
      name: 'Femoral artery',
      kind: 'artery',
      shape: roundShape(femoralArtery),
      acoustic: { medium: 'blood', pulsation: { beatsPerMinute: 70, radiusChangeMm: 0.4 } },
    },
    { id: 'femoral-vein', name: 'Femoral vein', kind: 'vein', shape: roundShape(femoralVein), acoustic: { medium: 'blood' } },
  ];
  // The needle's entry into the capsule is felt: a tube along the neck at the capsule's anterior surface.
  const feedbackRegions: FeedbackRegion[] = [capsuleFeedbackRegion(capsuleShape, HEAD, neck, anteriorOfNeck)];
  // Joint tissues after the muscles (a later tissue applies where two overlap): the acetabular
  // cartilage (the socket's sphere; it also covers the head, so the capsule and the head's
  // cartilage follow), the capsule, the femoral head's cartilage.
  tissues.push(
    { name: 'acetabular cartilage', medium: 'cartilage', shape: { type: 'sphere', centre: roundPoint(HEAD), radiusMm: 28.5 } },
    ...capsuleTissues(capsuleShape, HEAD, neck, anteriorOfNeck),
    { name: 'femoral head cartilage', medium: 'cartilage', shape: { type: 'sphere', centre: roundPoint(HEAD), radiusMm: HEAD_RADIUS + HEAD_CARTILAGE_MM } },
  );

  const caseFile: CaseFile = {
    schema: CASE_SCHEMA,
    schemaVersion: CASE_SCHEMA_VERSION,
    id: effusion ? 'hip-effusion' : 'hip',
    title: effusion ? 'Hip joint injection with an effusion, anterior recess (synthetic phantom)' : 'Hip joint injection, anterior recess (synthetic phantom)',
    description: `Supine right hip phantom${effusion ? ' with a joint effusion (capsule–neck distance 9 mm)' : ' (normal joint: the recess collapsed, the capsule lying on the neck)'}. Reach the anterior joint recess at the head–neck junction by the anterior longitudinal (oblique sagittal) approach: transducer along the femoral neck, needle in plane from inferior and anterior, staying lateral to the femoral nerve, artery and vein.`,
    series: { seriesInstanceUid: '', patientPosition: 'HFS' },
    targets,
    avoid,
    feedbackRegions,
    tissues,
    fiducials: caseFiducials(marker, skinMarkers),
    procedure: {
      name: 'Ultrasound-guided hip joint injection',
      approach: 'Anterior longitudinal (oblique sagittal) along the femoral neck, in plane, from inferior and anterior, lateral to the femoral neurovascular bundle',
      // The case's default gain (dB): the hip's muscle lies under more fat and capsule than the lumbar's.
      probe: { type: 'linear', frequencyMHz: 7.5, gainDb: 46 },
      needle: { gauge: 22, lengthMm: 90, type: 'spinal (Quincke)' },
      suggestedEntry: roundPoint(entry),
    },
    landmarks: [
      { id: 'femoral-head-centre', name: 'Femoral head centre (right)', point: roundPoint(HEAD) },
      { id: 'femoral-neck-base', name: 'Base of the femoral neck', point: roundPoint(neckBase) },
    ],
  };

  return {
    id: effusion ? 'hip-effusion' : 'hip',
    // LO: at most 64 characters.
    seriesDescription: effusion ? 'Synthetic phantom: right hip, effusion (not a patient)' : 'Synthetic phantom: right hip, supine (not a patient)',
    bodyPartExamined: 'HIP',
    laterality: 'R',
    patientPosition: 'HFS',
    geometry: {
      dimensions: [300, 312, 91],
      spacingMm: [0.8, 0.8, 2],
      originInCt: [-214.6, -124.4, HEAD[2] - 110],
      axesInCt: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    },
    sliceThicknessMm: 2,
    layers,
    noiseSdHu: 13,
    caseFile,
  };
}

/** The same hip with a joint effusion distending the anterior recess: a second bundled case. */
export const hipEffusionPhantom = (seed: number): PhantomDefinition => hipPhantom(seed, EFFUSION);

/**
 * The skin: the pelvis (an ellipse 350 × 230 mm) above the joint, blending into the right thigh
 * (a circle of 90 mm radius around the femur) below it.
 */
function bodyOutline(): Shape {
  const thighCentre: [number, number] = [HEAD[0] - 8, HEAD[1] + 30];
  return {
    distance(p) {
      const t = Math.min(1, Math.max(0, (HEAD[2] - 10 - p[2]) / 70)); // 0 pelvis … 1 thigh
      const s = t * t * (3 - 2 * t);
      const cx = thighCentre[0] * s;
      const cy = 5 * (1 - s) + thighCentre[1] * s;
      const a = 175 * (1 - s) + 92 * s;
      const b = 115 * (1 - s) + 92 * s;
      return ellipseDistance(p[0] - cx, p[1] - cy, a, b);
    },
    bounds: [
      [-200, -130, HEAD[2] - 200],
      [200, 130, HEAD[2] + 200],
    ],
  };
}
