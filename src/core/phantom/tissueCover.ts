import { addScaled, cross, dot, normalize, scale, subtract, type Vec3 } from '../geometry/vec3';
import type { CaseTissue, TissueMedium } from '../cases/caseFile';
import { roundPoint } from './avoidShapes';

/** Longest ellipsoid piece along a muscle (mm): short enough to follow its bends. */
const MAX_PIECE_MM = 20;
/**
 * Each piece's ellipsoid reaches the centres of its neighbours (its half length is the piece's
 * length), so at a piece's ends it must still hold the full cross-section: radii × 1/√(3/4).
 */
const END_COVER = 1 / Math.sqrt(0.75);

const round6 = (a: Vec3): Vec3 => [Math.round(a[0] * 1e6) / 1e6, Math.round(a[1] * 1e6) / 1e6, Math.round(a[2] * 1e6) / 1e6];
const mm = (x: number) => Math.round(x * 100) / 100;

/**
 * The case file's tissue entries covering a muscle (or tendon) painted as a tube along `points`
 * with radii interpolated along them (sdf `tube`), optionally widened along Ct x about `centreX`
 * by `factor` (sdf `stretchX`: muscles wider than deep). Analytic shapes cannot say a tapering or
 * elliptic tube, so it is covered by a chain of ellipsoids, each along its segment (the fibre
 * axis there), holding the tube's cross-section over its piece; they reach at most ~15 % past the
 * painted surface. Ct mm throughout.
 */
export function tubeTissues(
  name: string,
  medium: TissueMedium,
  points: readonly Vec3[],
  radii: readonly number[] | number,
  stretch?: { readonly centreX: number; readonly factor: number },
): CaseTissue[] {
  const radiusAt = (i: number) => (typeof radii === 'number' ? radii : radii[Math.min(i, radii.length - 1)]!);
  const factor = stretch?.factor ?? 1;
  const widen = (p: Vec3): Vec3 => (stretch ? [stretch.centreX + (p[0] - stretch.centreX) * factor, p[1], p[2]] : p);
  const tissues: CaseTissue[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = widen(points[i]!);
    const b = widen(points[i + 1]!);
    const along = subtract(b, a);
    const length = Math.hypot(...along);
    const w = normalize(along);
    // Cross-section axes: u the most Ct-x-like direction across the segment (the widened one).
    const xAcross = subtract([1, 0, 0], scale(w, dot([1, 0, 0], w)));
    const u = Math.hypot(...xAcross) > 0.2 ? normalize(xAcross) : normalize(cross(w, [0, 0, 1]));
    const v = cross(w, u);
    // Width along u of the widened tube: between r (u ⊥ x) and factor·r (u along x).
    const widthFactor = Math.hypot(factor * dot(u, [1, 0, 0]), Math.hypot(u[1], u[2]));
    // The first and last pieces also hold the tube's rounded ends.
    const from = i === 0 ? -radiusAt(0) : 0;
    const to = length + (i + 2 === points.length ? radiusAt(i + 1) : 0);
    const pieces = Math.max(1, Math.ceil((to - from) / MAX_PIECE_MM));
    const piece = (to - from) / pieces;
    for (let k = 0; k < pieces; k++) {
      const s0 = from + k * piece;
      const s1 = s0 + piece;
      const radiusOn = (s: number) => radiusAt(i) + (radiusAt(i + 1) - radiusAt(i)) * Math.min(1, Math.max(0, s / length));
      const r = Math.max(radiusOn(s0), radiusOn(s1));
      tissues.push({
        name,
        medium,
        shape: {
          type: 'ellipsoid',
          centre: roundPoint(addScaled(a, w, (s0 + s1) / 2)),
          axes: [round6(u), round6(v), round6(w)],
          radiiMm: [mm(r * widthFactor * END_COVER), mm(r * END_COVER), mm(piece)],
        },
        fibreAxis: round6(w),
      });
    }
  }
  return tissues;
}
