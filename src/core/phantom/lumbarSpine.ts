import { addScaled, normalize, scale, type Vec3 } from '../geometry/vec3';
import { capsule, ellipticCylinderDistance, frameFrom, halfSpace, inFrame, intersect, roundedBox, smoothUnion, toCt, type Frame, type Shape, ellipsoid, union } from './sdf';

/**
 * The lumbar column L1–S1 as vertebrae placed along a lordotic curve. Each vertebra has a
 * local frame at its body centre: u lateral (toward the patient's left, +x), v posterior,
 * w superior along the body axis. Sizes from ../shared/design/anatomy-and-procedures.md.
 */
export interface Vertebra {
  readonly name: string;
  readonly frame: Frame;
  readonly halfWidth: number;
  readonly halfDepth: number;
  readonly halfHeight: number;
  readonly pedicleRadius: number;
}

export interface Disc {
  readonly name: string;
  /** Frame halfway between the two bodies, w along the mean axis. */
  readonly frame: Frame;
  readonly upper: Vertebra;
  readonly lower: Vertebra;
}

const LEVELS = ['L1', 'L2', 'L3', 'L4', 'L5', 'S1'] as const;
/** Tilt of each body's superior axis from +z toward anterior (−y), degrees: 40° of lordosis L2–S1, sacral slope ~32°. */
const TILT_DEG: Record<(typeof LEVELS)[number], number> = { L1: -14, L2: -8, L3: -1, L4: 8, L5: 18, S1: 32 };
const PEDICLE_RADIUS: Record<(typeof LEVELS)[number], number> = { L1: 4.5, L2: 5, L3: 5, L4: 6, L5: 8, S1: 9 };
const BODY_HALF_HEIGHT = 13.5; // 27 mm bodies
/** Lamina half sizes (mm): 7 mm thick, 17 mm tall along the body axis. */
export const LAMINA_HALF_THICKNESS_MM = 3.5;
export const LAMINA_HALF_HEIGHT_MM = 8.5;
const DISC_MID_HEIGHT = 9.5; // ~11 mm anterior, ~7 mm posterior once wedged by the tilts

const axisOf = (tiltDeg: number): Vec3 => {
  const t = (tiltDeg * Math.PI) / 180;
  return [0, -Math.sin(t), Math.cos(t)];
};

/** Builds the column so that the L4–L5 disc centre lands on `l45DiscCentre` (Ct mm). */
export function buildLumbarColumn(l45DiscCentre: Vec3): { vertebrae: Vertebra[]; discs: Disc[] } {
  const centres = new Map<string, Vec3>();
  const axes = new Map<string, Vec3>();
  for (const level of LEVELS) axes.set(level, axisOf(TILT_DEG[level]));
  // From the L4–L5 disc up to L1 and down to S1, body by body.
  const discAxis = (a: string, b: string) => normalize(addScaled(axes.get(a)!, axes.get(b)!, 1));
  centres.set('L4', addScaled(addScaled(l45DiscCentre, discAxis('L4', 'L5'), DISC_MID_HEIGHT / 2), axes.get('L4')!, BODY_HALF_HEIGHT));
  centres.set('L5', addScaled(addScaled(l45DiscCentre, discAxis('L4', 'L5'), -DISC_MID_HEIGHT / 2), axes.get('L5')!, -BODY_HALF_HEIGHT));
  for (let i = LEVELS.indexOf('L4') - 1; i >= 0; i--) {
    const below = LEVELS[i + 1]!;
    const level = LEVELS[i]!;
    const top = addScaled(centres.get(below)!, axes.get(below)!, BODY_HALF_HEIGHT);
    centres.set(level, addScaled(addScaled(top, discAxis(level, below), DISC_MID_HEIGHT), axes.get(level)!, BODY_HALF_HEIGHT));
  }
  {
    const bottom = addScaled(centres.get('L5')!, axes.get('L5')!, -BODY_HALF_HEIGHT);
    centres.set('S1', addScaled(addScaled(bottom, discAxis('L5', 'S1'), -DISC_MID_HEIGHT), axes.get('S1')!, -BODY_HALF_HEIGHT));
  }
  const vertebrae: Vertebra[] = LEVELS.map((name) => ({
    name,
    frame: frameFrom(centres.get(name)!, [1, 0, 0], axes.get(name)!),
    halfWidth: name === 'S1' ? 26 : name === 'L1' ? 21 : 24,
    halfDepth: name === 'S1' ? 18 : 17,
    halfHeight: BODY_HALF_HEIGHT,
    pedicleRadius: PEDICLE_RADIUS[name],
  }));
  const discs: Disc[] = vertebrae.slice(0, -1).map((upper, i) => {
    const lower = vertebrae[i + 1]!;
    const upperBottom = addScaled(upper.frame.origin, upper.frame.axes[2], -upper.halfHeight);
    const lowerTop = addScaled(lower.frame.origin, lower.frame.axes[2], lower.halfHeight);
    const centre = scale(addScaled(upperBottom, lowerTop, 1), 0.5);
    return { name: `${upper.name}–${lower.name}`, frame: frameFrom(centre, [1, 0, 0], addScaled(upper.frame.axes[2], lower.frame.axes[2], 1)), upper, lower };
  });
  return { vertebrae, discs };
}

/** Point in a vertebra's local coordinates (lateral, posterior, superior; mm) → Ct. */
export const at = (v: Vertebra | Disc, lateral: number, posterior: number, superior: number): Vec3 => toCt(v.frame, [lateral, posterior, superior]);

/** The body: elliptic cylinder with a flattened, slightly concave posterior wall (kidney shape). */
export function vertebralBody(v: Vertebra, shrink = 0): Shape {
  const a = v.halfWidth - shrink;
  const b = v.halfDepth - shrink;
  const h = v.halfHeight - shrink;
  return inFrame(
    v.frame,
    (q) => {
      const body = ellipticCylinderDistance(q, a, b, h, 2);
      // Posterior concavity: a cylinder bitten out of the back wall.
      const bite = Math.hypot(q[0], q[1] - (b + 9)) - 12;
      return Math.max(body, -bite);
    },
    [a, b, h],
  );
}

/** Disc between the endplates: the bodies' outline, bounded by the two endplate planes. */
export function discShape(disc: Disc, shrinkRadial = 0): Shape {
  const { upper, lower } = disc;
  const a = (upper.halfWidth + lower.halfWidth) / 2 - 0.5 - shrinkRadial;
  const b = (upper.halfDepth + lower.halfDepth) / 2 - 0.5 - shrinkRadial;
  const prism = inFrame(disc.frame, (q) => ellipticCylinderDistance(q, a, b, 12, 1.5), [a, b, 12]);
  const belowUpper = halfSpace(at(upper, 0, 0, -upper.halfHeight), upper.frame.axes[2]);
  const aboveLower = halfSpace(at(lower, 0, 0, lower.halfHeight), scale(lower.frame.axes[2], -1));
  return intersect(prism, belowUpper, aboveLower);
}

/** Nucleus: central ~45 % of the disc area, slightly posterior. */
export function nucleusShape(disc: Disc): Shape {
  const a = (disc.upper.halfWidth + disc.lower.halfWidth) / 2;
  const b = (disc.upper.halfDepth + disc.lower.halfDepth) / 2;
  return ellipsoid(frameFrom(at(disc, 0, 2, 0), disc.frame.axes[0], disc.frame.axes[2]), [a * 0.62, b * 0.6, 3.2]);
}

/** Posterior elements except the facets: pedicles, laminae, spinous and transverse processes. */
export function posteriorElements(v: Vertebra): Shape {
  const r = v.pedicleRadius;
  const x = 12 + r; // medial pedicle walls 12 mm from the midline: interpedicular distance 24 mm
  const parts: Shape[] = [];
  for (const side of [-1, 1]) {
    parts.push(capsule(at(v, side * x, 12, 3), at(v, side * x, 30, 3), r * 0.85, r));
    // Lamina: a plate from the pedicle to the midline, 7 mm thick, 17 mm tall (leaves the 10–15 mm
    // interlaminar windows of the paramedian sagittal oblique view: docs/phantoms.md).
    const from = at(v, side * x, 31, 2);
    const to = at(v, side * 1.5, 41, -3);
    const mid = scale(addScaled(from, to, 1), 0.5);
    const along = addScaled(to, from, -1);
    const length = Math.hypot(...along);
    parts.push(roundedBox(frameFrom(mid, along, v.frame.axes[2]), [length / 2 + 2, LAMINA_HALF_THICKNESS_MM, LAMINA_HALF_HEIGHT_MM], 3));
    // Transverse process: 20–30 mm lateral from the pedicle, about 5 mm thick.
    const reach = v.name === 'L3' ? 30 : v.name === 'L5' ? 22 : v.name === 'S1' ? 0 : 26;
    if (reach > 0) parts.push(capsule(at(v, side * x, 25, 4), at(v, side * (x + reach), 23, 6), v.name === 'L5' ? 5 : 3, v.name === 'L5' ? 4.5 : 2.8));
  }
  if (v.name !== 'S1') {
    // Spinous process ~30 mm long, pointing back and a little down.
    parts.push(roundedBox(frameFrom(at(v, 0, 56, -5), [1, 0, 0], addScaled(v.frame.axes[2], v.frame.axes[1], -0.15)), [3.5, 16, 10], 3));
  } else {
    // Sacral alae and the median crest, in place of S1's processes.
    for (const side of [-1, 1]) parts.push(ellipsoid(frameFrom(at(v, side * 40, 8, 2), [1, 0, 0], v.frame.axes[2]), [22, 16, 16]));
    parts.push(roundedBox(frameFrom(at(v, 0, 42, -4), [1, 0, 0], v.frame.axes[2]), [4, 8, 14], 3));
  }
  return smoothUnion(3, vertebralBody(v), ...parts);
}

/** A facet joint between the inferior process of `upper` and the superior process of `lower`. */
export interface FacetJoint {
  readonly name: string;
  readonly side: -1 | 1;
  readonly centre: Vec3;
  /** Unit normal of the joint plane, pointing from the superior (lower vertebra's) process to the inferior one. */
  readonly normal: Vec3;
  readonly upper: Vertebra;
  readonly lower: Vertebra;
}

/** Joint plane angle from the coronal plane, degrees (L4–L5 40–50°; upper lumbar more sagittal). */
const FACET_ANGLE_DEG: Record<string, number> = { L1: 65, L2: 60, L3: 52, L4: 45, L5: 40 };
export const FACET_GAP_MM = 1.5;

export function facetJoints(vertebrae: readonly Vertebra[]): FacetJoint[] {
  const joints: FacetJoint[] = [];
  for (let i = 0; i + 1 < vertebrae.length; i++) {
    const upper = vertebrae[i]!;
    const lower = vertebrae[i + 1]!;
    for (const side of [-1, 1] as const) {
      const fromUpper = at(upper, side * 15, 39, -upper.halfHeight - 4);
      const fromLower = at(lower, side * 16, 37, lower.halfHeight + 6);
      const centre = scale(addScaled(fromUpper, fromLower, 1), 0.5);
      const angle = ((FACET_ANGLE_DEG[upper.name] ?? 45) * Math.PI) / 180;
      // In the upper vertebra's axial plane: lateral component toward the midline, posterior component.
      const [u, v] = upper.frame.axes;
      const normal = normalize(addScaled(scale(u, -side * Math.sin(angle)), v, Math.cos(angle)));
      joints.push({ name: `${upper.name}–${lower.name} ${side > 0 ? 'left' : 'right'}`, side, centre, normal, upper, lower });
    }
  }
  return joints;
}

/** The two articular processes of a joint, each joined to its own vertebra, with the joint gap between them. */
export function facetProcesses(joint: FacetJoint): { superior: Shape; inferior: Shape; capsule: Shape } {
  const { upper, lower, side, centre, normal } = joint;
  const block = ellipsoid(frameFrom(centre, upper.frame.axes[0], upper.frame.axes[2]), [8, 8, 11]);
  const superiorHalf = intersect(block, halfSpace(addScaled(centre, normal, -FACET_GAP_MM / 2), normal));
  const inferiorHalf = intersect(block, halfSpace(addScaled(centre, normal, FACET_GAP_MM / 2), scale(normal, -1)));
  const superiorStalk = capsule(at(lower, side * (12 + lower.pedicleRadius), 30, 4), addScaled(centre, normal, -4), 4.5, 4);
  // From the lamina's lateral part (11 mm off the midline), so the medial interlaminar window stays open.
  const inferiorStalk = capsule(at(upper, side * 11, 39.5, -5), addScaled(centre, normal, 4), 3.5, 3.5);
  return {
    superior: union(superiorHalf, intersect(superiorStalk, halfSpace(addScaled(centre, normal, -FACET_GAP_MM / 2), normal))),
    inferior: union(inferiorHalf, intersect(inferiorStalk, halfSpace(addScaled(centre, normal, FACET_GAP_MM / 2), scale(normal, -1)))),
    capsule: ellipsoid(frameFrom(centre, upper.frame.axes[0], upper.frame.axes[2]), [10, 10, 13]),
  };
}

/** Centreline of the spinal canal (Ct points from L1 to S1), for the dural sac and epidural fat. */
export function canalCentreline(vertebrae: readonly Vertebra[], posterior = 26): Vec3[] {
  const points: Vec3[] = [];
  for (const v of vertebrae) {
    points.push(at(v, 0, posterior, v.halfHeight + 5), at(v, 0, posterior, 0), at(v, 0, posterior, -v.halfHeight - 5));
  }
  return points;
}

/** Exiting nerve root of a lumbar level: from the sac, down under its pedicle, out of the foramen, into the psoas. */
export function exitingRootPath(v: Vertebra, side: -1 | 1): Vec3[] {
  return [
    at(v, side * 6, 25, 16),
    at(v, side * 8, 23, 4), // medial to the pedicle, inside the canal
    at(v, side * 14, 20, -10), // under the pedicle
    at(v, side * 22, 14, -18), // through the upper foramen, lateral to the disc below
    at(v, side * 30, 7, -27),
    at(v, side * 40, -4, -42), // into the psoas
  ];
}
