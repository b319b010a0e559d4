import { subtract, type Vec3 } from '../geometry/vec3';
import type { FrameName } from '../frames/frames';
import { applyToPoint, fromRotationTranslation, type Transform } from '../frames/transform';
import { symmetricEigen } from '../linalg/symmetricEigen';
import { degenerateConfiguration } from './pointSetShape';

/**
 * Rigid paired-point registration by Horn's unit-quaternion method (1987): the rotation is
 * always proper (no reflection, unlike a plain SVD), exact for noise-free points, least
 * squares otherwise. `moving[i]` (in From) corresponds to `fixed[i]` (in To).
 */
export function rigidFromPointPairs<From extends FrameName, To extends FrameName>(from: From, to: To, moving: readonly Vec3[], fixed: readonly Vec3[]): Transform<From, To> {
  if (moving.length !== fixed.length) throw new Error(`${moving.length} points in ${from} but ${fixed.length} in ${to}: each point needs its pair`);
  const n = moving.length;
  const mean = (points: readonly Vec3[]): Vec3 => [0, 1, 2].map((a) => points.reduce((s, p) => s + p[a]!, 0) / n) as unknown as Vec3;
  const mx = mean(moving);
  const my = mean(fixed);
  // S[a][b] = Σ x'_a · y'_b over the centred pairs.
  const S = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const x = subtract(moving[i]!, mx);
    const y = subtract(fixed[i]!, my);
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) S[a * 3 + b]! += x[a]! * y[b]!;
  }
  const [Sxx, Sxy, Sxz, Syx, Syy, Syz, Szx, Szy, Szz] = S as [number, number, number, number, number, number, number, number, number];
  const N = [
    Sxx + Syy + Szz,
    Syz - Szy,
    Szx - Sxz,
    Sxy - Syx,
    Syz - Szy,
    Sxx - Syy - Szz,
    Sxy + Syx,
    Szx + Sxz,
    Szx - Sxz,
    Sxy + Syx,
    -Sxx + Syy - Szz,
    Syz + Szy,
    Sxy - Syx,
    Szx + Sxz,
    Syz + Szy,
    -Sxx - Syy + Szz,
  ];
  const [q0, qx, qy, qz] = symmetricEigen(N, 4).vectors[0]! as [number, number, number, number];
  const R = [
    q0 * q0 + qx * qx - qy * qy - qz * qz,
    2 * (qx * qy - q0 * qz),
    2 * (qx * qz + q0 * qy),
    2 * (qy * qx + q0 * qz),
    q0 * q0 - qx * qx + qy * qy - qz * qz,
    2 * (qy * qz - q0 * qx),
    2 * (qz * qx - q0 * qy),
    2 * (qz * qy + q0 * qx),
    q0 * q0 - qx * qx - qy * qy + qz * qz,
  ];
  const t: Vec3 = [
    my[0] - (R[0]! * mx[0] + R[1]! * mx[1] + R[2]! * mx[2]),
    my[1] - (R[3]! * mx[0] + R[4]! * mx[1] + R[5]! * mx[2]),
    my[2] - (R[6]! * mx[0] + R[7]! * mx[1] + R[8]! * mx[2]),
  ];
  return fromRotationTranslation(from, to, R, t);
}

export interface RegistrationResult<From extends FrameName, To extends FrameName> {
  readonly transform: Transform<From, To>;
  /** |T·moving[i] − fixed[i]| for each pair, mm. */
  readonly residualsMm: readonly number[];
  /** Root-mean-square fiducial registration error, mm. Not a measure of accuracy at the target. */
  readonly freMm: number;
  /** Error at each fiducial when the registration is computed without it (leave-one-out), mm. */
  readonly leaveOneOutMm: readonly number[];
  /** Index of a pair that disagrees with the others (a mistouched or misclicked fiducial), if any. */
  readonly outlierIndex: number | undefined;
}

export type RegistrationOutcome<From extends FrameName, To extends FrameName> =
  ({ readonly ok: true } & RegistrationResult<From, To>) | { readonly ok: false; readonly reason: string };

/**
 * Registers with the checks a clinical workflow needs: refuses mismatched counts, fewer than 3
 * pairs and collinear or coincident points; reports residuals, RMS FRE, leave-one-out errors and
 * flags an outlier when one pair's leave-one-out error exceeds both 2 mm and 2.5× the median.
 */
export function registerPointPairs<From extends FrameName, To extends FrameName>(
  from: From,
  to: To,
  moving: readonly Vec3[],
  fixed: readonly Vec3[],
): RegistrationOutcome<From, To> {
  if (moving.length !== fixed.length) {
    return { ok: false, reason: `${moving.length} points were touched but ${fixed.length} picked on the CT: every fiducial needs both` };
  }
  const problem = degenerateConfiguration(fixed) ?? degenerateConfiguration(moving);
  if (problem) return { ok: false, reason: problem };
  const transform = rigidFromPointPairs(from, to, moving, fixed);
  const residualsMm = moving.map((p, i) => distance(applyToPoint(transform, p), fixed[i]!));
  const freMm = Math.sqrt(residualsMm.reduce((s, r) => s + r * r, 0) / residualsMm.length);
  const leaveOneOutMm =
    moving.length > 3
      ? moving.map((p, i) => {
          const others = (points: readonly Vec3[]) => points.filter((_, k) => k !== i);
          if (degenerateConfiguration(others(fixed))) return Number.NaN;
          return distance(applyToPoint(rigidFromPointPairs(from, to, others(moving), others(fixed)), p), fixed[i]!);
        })
      : moving.map(() => Number.NaN);
  return { ok: true, transform, residualsMm, freMm, leaveOneOutMm, outlierIndex: findOutlier(leaveOneOutMm) };
}

function findOutlier(leaveOneOut: readonly number[]): number | undefined {
  const finite = leaveOneOut.filter(Number.isFinite);
  if (finite.length < 4) return undefined;
  const worstValue = Math.max(...finite);
  const rest = [...finite].sort((a, b) => a - b).slice(0, -1); // all but the worst
  const median = rest[Math.floor(rest.length / 2)]!;
  return worstValue > 2 && worstValue > 2.5 * median ? leaveOneOut.indexOf(worstValue) : undefined;
}

const distance = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
