import { addScaled, cross, normalize, scale, type Vec3 } from '../geometry/vec3';
import type { CaseTissue, FeedbackRegion } from '../cases/caseFile';
import { roundPoint } from './avoidShapes';
import { halfSpace, intersect, offset, type Shape } from './sdf';

/**
 * The hip joint capsule as the phantom paints it: a fibrous sleeve (the capsule with the
 * iliofemoral ligament in front) lying on the femoral neck and head, with the synovial fluid of
 * the anterior recess under it. Both follow the femur's surface at fixed distances, so the
 * capsule–neck distance (bone to the capsule's outer surface, Koski 1989) is the same all along
 * the neck: `fluidMm + capsuleMm`. The femur is painted after them, over their inner part.
 */
export interface HipCapsuleVariant {
  readonly id: 'collapsed' | 'effusion';
  /** Fluid between the neck's cortex and the capsule's deep surface (mm). */
  readonly fluidMm: number;
  /** Thickness of the fibrous capsule (mm). */
  readonly capsuleMm: number;
}

/**
 * The normal adult hip: the recess collapsed, the capsule a 3 mm fibrous band (the "stripe")
 * on the anterior neck over a 0.5 mm synovial film, under the CT's 0.8 mm voxel: no fluid layer.
 * Capsule–neck distance 3.5 mm (normal < 6–7 mm: Koski 1989).
 */
export const COLLAPSED_RECESS: HipCapsuleVariant = { id: 'collapsed', fluidMm: 0.5, capsuleMm: 3 };
/** An effusion: 5.5 mm of fluid distends the recess; capsule–neck distance about 9 mm (≥ 7 mm: effusion, Koski 1989). */
export const EFFUSION: HipCapsuleVariant = { id: 'effusion', fluidMm: 5.5, capsuleMm: 3 };

/** Along the neck (mm from the head centre toward the head, negative toward the base): where the capsule runs. */
const FROM_ALONG_NECK_MM = -46; // the intertrochanteric line, at the neck's base
const TO_ALONG_NECK_MM = 8; // beyond the head's centre, where the acetabulum and labrum take over

export function hipCapsuleShapes(femur: Shape, head: Vec3, neck: Vec3, variant: HipCapsuleVariant): { capsule: Shape; fluid: Shape } {
  const slab = [halfSpace(addScaled(head, neck, TO_ALONG_NECK_MM), neck), halfSpace(addScaled(head, neck, FROM_ALONG_NECK_MM), scale(neck, -1))];
  return {
    capsule: intersect(offset(femur, variant.fluidMm + variant.capsuleMm), ...slab),
    fluid: intersect(offset(femur, variant.fluidMm), ...slab),
  };
}

/** Distance from the neck axis (at `alongNeckMm` from the head centre) to the shape's surface in `direction` (⊥ the neck; mm). */
export function radiusFromNeckAxis(shape: Shape, head: Vec3, neck: Vec3, alongNeckMm: number, direction: Vec3): number {
  const onAxis = addScaled(head, neck, alongNeckMm);
  let inside = 0;
  let outside = 60;
  // Bisection between a point inside (on the axis, in bone and capsule alike) and one far outside.
  for (let i = 0; i < 30; i++) {
    const r = (inside + outside) / 2;
    if (shape.distance(addScaled(onAxis, direction, r)) < 0) inside = r;
    else outside = r;
  }
  return (inside + outside) / 2;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const ALONG_NECK_FROM_MM = -44;
const ALONG_NECK_TO_MM = -8;
const PIECE_MM = 4;

/**
 * The capsule in the case file's tissue list (Ct mm, fibres along the neck, as the iliofemoral
 * ligament's): tubes along the neck axis, 4 mm each from the neck's base to the head, each as
 * wide as the painted capsule's outer surface over the neck's anterior half (the half an anterior
 * view sees; the posterior capsule and its coat over the trochanters lie behind bone), then a
 * sphere over the head.
 */
export function capsuleTissues(capsule: Shape, head: Vec3, neck: Vec3, anterior: Vec3): CaseTissue[] {
  const side = normalize(cross(neck, anterior));
  const anteriorHalf = Array.from({ length: 13 }, (_, k) => {
    const a = ((k - 6) * Math.PI) / 12;
    return normalize(addScaled(scale(anterior, Math.cos(a)), side, Math.sin(a)));
  });
  const widest = (t: number) => Math.max(...anteriorHalf.map((d) => radiusFromNeckAxis(capsule, head, neck, t, d)));
  const fibreAxis = neck.map((c) => Math.round(c * 1e6) / 1e6) as unknown as Vec3;
  const name = 'joint capsule and iliofemoral ligament';
  const tissues: CaseTissue[] = [];
  for (let t = ALONG_NECK_FROM_MM; t < ALONG_NECK_TO_MM; t += PIECE_MM) {
    const radius = Math.max(widest(t), widest(t + PIECE_MM / 2), widest(t + PIECE_MM));
    tissues.push({
      name,
      medium: 'capsule',
      shape: { type: 'tube', points: [roundPoint(addScaled(head, neck, t)), roundPoint(addScaled(head, neck, t + PIECE_MM))], radiusMm: round2(radius + 0.1) },
      fibreAxis,
    });
  }
  const overHead = Math.max(...[-8, -4, 0, 4, 8].map(widest));
  tissues.push({ name, medium: 'capsule', shape: { type: 'sphere', centre: roundPoint(head), radiusMm: round2(overHead + 0.1) }, fibreAxis });
  return tissues;
}

/**
 * What the needle feels as the capsule (FeedbackRegion): a tube along the neck axis as wide as the
 * painted capsule's anterior surface at the head–neck junction, 22 mm from the head centre, where
 * the anterior approach meets it (within 1.5 mm of the painted surface within 30° of the anterior normal, 20–32 mm from the head centre).
 */
export function capsuleFeedbackRegion(capsule: Shape, head: Vec3, neck: Vec3, anterior: Vec3): FeedbackRegion {
  const radius = radiusFromNeckAxis(capsule, head, neck, -22, anterior);
  return {
    id: 'hip-joint-capsule',
    name: 'Hip joint capsule',
    kind: 'joint-capsule',
    shape: { type: 'tube', points: [roundPoint(addScaled(head, neck, -40)), roundPoint(addScaled(head, neck, -12))], radiusMm: round2(radius) },
  };
}
