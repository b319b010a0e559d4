import type { Vec3 } from '../geometry/vec3';
import type { ImagePlane } from '../reslice/reslicePlane';

/**
 * A Ct point in an image plane's own coordinates, mm: `u` along `right`, `v` along `down`, both
 * from the plane's centre, and `z` along right × down (the signed distance from the plane).
 * Pixel (c, r) is at u = (c − (columns−1)/2)·mmPerPixel, v = (r − (rows−1)/2)·mmPerPixel, z = 0.
 */
export type PlaneCoordinates = readonly [u: number, v: number, z: number];

export function ctToPlaneCoordinates(plane: ImagePlane, pointInCt: Vec3): PlaneCoordinates {
  const { centreInCt: c, right: r, down: d } = plane;
  const x = pointInCt[0] - c[0];
  const y = pointInCt[1] - c[1];
  const w = pointInCt[2] - c[2];
  const n = planeNormal(plane);
  return [x * r[0] + y * r[1] + w * r[2], x * d[0] + y * d[1] + w * d[2], x * n[0] + y * n[1] + w * n[2]];
}

/** right × down: the plane's normal (unit, as right and down are). */
export const planeNormal = ({ right: r, down: d }: ImagePlane): Vec3 => [r[1] * d[2] - r[2] * d[1], r[2] * d[0] - r[0] * d[2], r[0] * d[1] - r[1] * d[0]];

/** u (mm) of a pixel column and v (mm) of a pixel row. */
export const columnToU = (plane: ImagePlane, column: number): number => (column - (plane.columns - 1) / 2) * plane.mmPerPixel;
export const rowToV = (plane: ImagePlane, row: number): number => (row - (plane.rows - 1) / 2) * plane.mmPerPixel;

/** The pixel range [first, last] (inclusive, clipped to the image) covering u (or v) in [low, high] mm; undefined when outside. */
export function pixelRange(count: number, mmPerPixel: number, lowMm: number, highMm: number): [number, number] | undefined {
  const first = Math.max(0, Math.floor(lowMm / mmPerPixel + (count - 1) / 2));
  const last = Math.min(count - 1, Math.ceil(highMm / mmPerPixel + (count - 1) / 2));
  return first <= last ? [first, last] : undefined;
}
