import { addScaled, normalize, type Vec3 } from '../geometry/vec3';
import { HU, type PhantomLayer } from './phantomLayer';
import type { Fiducials } from '../cases/caseFile';
import { roundPoint } from './avoidShapes';
import { frameFrom, roundedBox, sphere, toCt, type Frame, type Shape } from './sdf';

/**
 * The external fiducial marker: a plastic block resting on the skin with radiopaque beads at
 * known, non-coplanar places (as the reference study's marker placed before the planning CT).
 * Marker frame: origin on the skin under the block's centre; u and v along the skin, w out of
 * the body (normal to the skin); mm.
 */
export const MARKER_BEADS_IN_MARKER: readonly Vec3[] = [
  [-15, -15, 4],
  [15, -15, 4],
  [-15, 15, 4],
  [15, 15, 12],
  [0, 0, 17],
];
export const MARKER_BEAD_DIAMETER_MM = 4;
const MARKER_HALF_SIZE: Vec3 = [22, 22, 10];

export interface PlacedMarker {
  readonly frame: Frame;
  readonly beadDiameterMm: number;
  readonly beadsInMarker: readonly Vec3[];
  readonly beadsInCt: readonly Vec3[];
}

/**
 * Puts the marker on the skin: found by marching from `outside` along −`outward` to the body's
 * surface; the block's w axis is the surface normal there, its v axis as close to `superior` as possible.
 */
export function placeMarker(body: Shape, outside: Vec3, outward: Vec3, superior: Vec3): PlacedMarker {
  const origin = skinPoint(body, outside, [-outward[0], -outward[1], -outward[2]]);
  const normal = surfaceNormal(body, origin);
  // frameFrom(origin, uHint, w): u ⟂ w; here u = superior × normal (lateral), v = normal × u ≈ superior.
  const lateral = normalize([
    superior[1] * normal[2] - superior[2] * normal[1],
    superior[2] * normal[0] - superior[0] * normal[2],
    superior[0] * normal[1] - superior[1] * normal[0],
  ]);
  const frame = frameFrom(origin, lateral, normal);
  return {
    frame,
    beadDiameterMm: MARKER_BEAD_DIAMETER_MM,
    beadsInMarker: MARKER_BEADS_IN_MARKER,
    beadsInCt: MARKER_BEADS_IN_MARKER.map((b) => toCt(frame, b)),
  };
}

export function markerLayers(marker: PlacedMarker): PhantomLayer[] {
  const block = roundedBox(frameFrom(toCt(marker.frame, [0, 0, MARKER_HALF_SIZE[2]]), marker.frame.axes[0], marker.frame.axes[2]), MARKER_HALF_SIZE, 3);
  return [
    { name: 'fiducial marker block', shape: block, hu: HU.markerPlastic },
    ...marker.beadsInCt.map((centre, i) => ({ name: `fiducial bead ${i + 1}`, shape: sphere(centre, marker.beadDiameterMm / 2), hu: HU.bead })),
  ];
}

/** First point where a ray from `from` along `direction` meets the shape's surface (sphere tracing). */
export function skinPoint(shape: Shape, from: Vec3, direction: Vec3): Vec3 {
  const d = normalize(direction);
  let p = from;
  for (let step = 0; step < 2000; step++) {
    const distance = shape.distance(p);
    if (Math.abs(distance) < 1e-4) return p;
    p = addScaled(p, d, distance);
  }
  throw new Error(`skinPoint: no surface along the ray from ${from.join(', ')}`);
}

export function surfaceNormal(shape: Shape, p: Vec3): Vec3 {
  const h = 0.01;
  return normalize([
    shape.distance([p[0] + h, p[1], p[2]]) - shape.distance([p[0] - h, p[1], p[2]]),
    shape.distance([p[0], p[1] + h, p[2]]) - shape.distance([p[0], p[1] - h, p[2]]),
    shape.distance([p[0], p[1], p[2] + h]) - shape.distance([p[0], p[1], p[2] - h]),
  ]);
}

/** The case file's fiducials section for a placed marker and skin beads. */
export function caseFiducials(marker: PlacedMarker, skinMarkers: readonly { id: string; centre: Vec3; diameterMm: number }[]): Fiducials {
  return {
    marker: { name: 'External fiducial marker (5 beads)', beadDiameterMm: marker.beadDiameterMm, beadsInMarker: marker.beadsInMarker, beadsInCt: marker.beadsInCt.map(roundPoint) },
    skinMarkers: skinMarkers.map((s) => ({ ...s, centre: roundPoint(s.centre) })),
  };
}
