import type { Vec3 } from '../geometry/vec3';
import { ellipsoid, frameFrom, sphere, tube, type Shape } from './sdf';
import { voxelShape, type VoxelShapeSpec } from './voxelShape';

/**
 * Analytic shapes as written in case.json (Ct, LPS mm). The phantoms paint these very shapes,
 * so what a case file calls "the dural sac" is exactly the CSF on the images.
 */
export type AnalyticShape =
  | { readonly type: 'sphere'; readonly centre: Vec3; readonly radiusMm: number }
  | { readonly type: 'tube'; readonly points: readonly Vec3[]; readonly radiusMm: number }
  | { readonly type: 'ellipsoid'; readonly centre: Vec3; readonly axes: readonly [Vec3, Vec3, Vec3]; readonly radiiMm: Vec3 }
  /** Computed, never in a case file: an injectate that filled its compartment (see voxelShape). */
  | VoxelShapeSpec;

export function shapeOf(analytic: AnalyticShape): Shape {
  switch (analytic.type) {
    case 'sphere':
      return sphere(analytic.centre, analytic.radiusMm);
    case 'tube':
      return analytic.points.length === 1 ? sphere(analytic.points[0]!, analytic.radiusMm) : tube(analytic.points, analytic.radiusMm);
    case 'ellipsoid':
      return ellipsoid(frameFrom(analytic.centre, analytic.axes[0], analytic.axes[2]), analytic.radiiMm);
    case 'voxels':
      return voxelShape(analytic);
  }
}

/** Case files list coordinates to 0.01 mm: far below any voxel, and readable. */
export const roundPoint = (p: Vec3): Vec3 => [Math.round(p[0] * 100) / 100, Math.round(p[1] * 100) / 100, Math.round(p[2] * 100) / 100];

export function roundShape(shape: AnalyticShape): AnalyticShape {
  if (shape.type === 'tube') return { ...shape, points: shape.points.map(roundPoint) };
  if (shape.type === 'voxels') return shape;
  return { ...shape, centre: roundPoint(shape.centre) };
}
