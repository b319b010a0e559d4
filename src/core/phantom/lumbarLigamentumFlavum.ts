import { addScaled, normalize, scale, subtract, type Vec3 } from '../geometry/vec3';
import { roundPoint, type AnalyticShape } from './avoidShapes';
import { at, LAMINA_HALF_HEIGHT_MM, type Vertebra } from './lumbarSpine';
import { frameFrom } from './sdf';

/** Half thickness of the ligamentum flavum at its centre (mm): 4 mm, as at L4–L5 (3–5 mm, A&P). */
const HALF_THICKNESS_MM = 2;
/** Distance of the plate's centre from the midline (mm): the medial half of the lamina. */
const CENTRE_LATERAL_MM = 7;
/** Depth of the plate's centre in the vertebra's frame (posterior of the body centre, mm). */
const CENTRE_POSTERIOR_MM = 32.5;

/**
 * One half (side −1 right, +1 left) of the ligamentum flavum between two laminae: a thin
 * ellipsoid plate (Ct, LPS mm) on the front of the laminae, parallel to them in the axial plane,
 * from the front of the upper lamina's lower part down to the upper edge of the lower lamina, so
 * it spans the interlaminar window and lies 1–3 mm behind the dural sac. Fibres run cranio-caudal
 * (its third axis). An analytic shape, so the case file's tissue list names what is painted.
 */
export function ligamentumFlavum(upper: Vertebra, lower: Vertebra, side: -1 | 1): AnalyticShape {
  // Lamina centres at 7 mm off the midline sit about 0.5 mm below the body centre: its edges at ±8.5 mm.
  const top = at(upper, side * CENTRE_LATERAL_MM, CENTRE_POSTERIOR_MM, -LAMINA_HALF_HEIGHT_MM + 3.5);
  const bottom = at(lower, side * CENTRE_LATERAL_MM, CENTRE_POSTERIOR_MM, LAMINA_HALF_HEIGHT_MM - 2.5);
  const centre = scale(addScaled(top, bottom, 1), 0.5);
  const fibres = normalize(subtract(top, bottom));
  // Along the lamina: from the midline (1.5 mm off it, 41 mm posterior) toward the pedicle (31 mm posterior).
  const [u, v] = upper.frame.axes;
  const alongLamina = normalize(addScaled(scale(u, side * 16.5), v, -10));
  const frame = frameFrom(centre, alongLamina, fibres);
  // Rounded as the case file lists it (0.01 mm, axes to 1e-6), so what is painted is what is listed.
  const round6 = (a: Vec3): Vec3 => [Math.round(a[0] * 1e6) / 1e6, Math.round(a[1] * 1e6) / 1e6, Math.round(a[2] * 1e6) / 1e6];
  const halfLength = Math.round((Math.hypot(...subtract(top, bottom)) / 2 + 1) * 100) / 100;
  return {
    type: 'ellipsoid',
    centre: roundPoint(centre),
    axes: [round6(frame.axes[0]), round6(frame.axes[1]), round6(frame.axes[2])],
    radiiMm: [9, HALF_THICKNESS_MM, halfLength],
  };
}
