import { addScaled, scale, type Vec3 } from '../geometry/vec3';
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
