import { describe, expect, it } from 'vitest';
import { axialSliceThrough, needleObliquePlane, sagittalThrough } from '../../src/core/ctpass/confirmationPlanes';
import type { Vec3 } from '../../src/core/geometry/vec3';
import { transformOf } from '../../src/core/frames/transform';
import { reslicePlane } from '../../src/core/reslice/reslicePlane';
import type { CtVolume } from '../../src/core/volume/ctVolume';
import { ctIjkToCt, type VolumeGeometry } from '../../src/core/volume/volumeGeometry';
import { orientAxialLikePlanning, orientLikeAxial, sliceIndexOf } from '../../src/app/procedure/ctPassOrientation';
import { crossSection, usPlaneCut } from '../../src/app/viewer/navigationOverlay';
import { intersectPlanes } from '../../src/app/viewer/planningInteraction';

/** A small volume stored as a scan stores it, with one bright voxel at the patient's LEFT (+x), posterior (+y). */
function markedVolume(axesInCt: VolumeGeometry['axesInCt'], originInCt: Vec3): { volume: CtVolume; marked: Vec3 } {
  const [nx, ny, nz] = [41, 31, 5];
  const geometry: VolumeGeometry = { dimensions: [nx, ny, nz], spacingMm: [1, 1, 2], originInCt, axesInCt };
  const hu = new Int16Array(nx * ny * nz).fill(0);
  // Find the voxel nearest (x = +15, y = +10) from the centre, on the middle slice.
  const centre = ctIjkToCt(geometry, [(nx - 1) / 2, (ny - 1) / 2, 2]);
  const marked: Vec3 = [centre[0] + 15, centre[1] + 10, centre[2]];
  let best = 0;
  let bestDistance = Infinity;
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const p = ctIjkToCt(geometry, [i, j, 2]);
      const d = Math.hypot(p[0] - marked[0], p[1] - marked[1]);
      if (d < bestDistance) {
        bestDistance = d;
        best = i + j * nx + 2 * nx * ny;
      }
    }
  hu[best] = 1000;
  return { volume: { geometry, huVoxels: hu } as unknown as CtVolume, marked };
}

/** Column and row of the brightest pixel of a resliced image. */
function brightest(image: Float32Array, columns: number): [number, number] {
  let at = 0;
  for (let p = 1; p < image.length; p++) if (image[p]! > image[at]!) at = p;
  return [at % columns, Math.floor(at / columns)];
}

describe('the CT-pass axial is shown as the planning axial (radiological: patient left on screen right, posterior down)', () => {
  const scans: [string, VolumeGeometry['axesInCt'], Vec3][] = [
    [
      'supine (rows → L, columns → P)',
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      [-20, -15, 0],
    ],
    [
      'prone, as the lumbar phantom (rows → R, columns → A)',
      [
        [-1, 0, 0],
        [0, -1, 0],
        [0, 0, 1],
      ],
      [20, 15, 0],
    ],
    [
      'feet first (rows → R, columns → P)',
      [
        [-1, 0, 0],
        [0, 1, 0],
        [0, 0, -1],
      ],
      [20, -15, 8],
    ],
  ];
  for (const [name, axes, origin] of scans) {
    it(name, () => {
      const { volume, marked } = markedVolume(axes, origin);
      const raw = axialSliceThrough(volume.geometry, marked).plane;
      const plane = orientAxialLikePlanning(raw);
      expect(plane.right).toEqual([1, 0, 0]);
      expect(plane.down).toEqual([0, 1, 0]);
      const [column, row] = brightest(reslicePlane(volume, plane), plane.columns);
      // The marked voxel (patient left, posterior) is on the image's right half and lower half.
      expect(column).toBeGreaterThan(plane.columns / 2 + 10);
      expect(row).toBeGreaterThan(plane.rows / 2 + 5);
      expect(sliceIndexOf(volume.geometry, plane.centreInCt)).toBe(2);
    });
  }
  it('the prone scan was turned 180° before (why): right = the row direction, patient right', () => {
    const { volume, marked } = markedVolume(
      [
        [-1, 0, 0],
        [0, -1, 0],
        [0, 0, 1],
      ],
      [20, 15, 0],
    );
    const raw = axialSliceThrough(volume.geometry, marked).plane;
    const [column, row] = brightest(reslicePlane(volume, raw), raw.columns);
    expect(column).toBeLessThan(raw.columns / 2);
    expect(row).toBeLessThan(raw.rows / 2);
  });
  it("the second image's right agrees with the axial's; a sagittal has posterior on the right as the planning sagittal", () => {
    const { volume } = markedVolume(
      [
        [-1, 0, 0],
        [0, -1, 0],
        [0, 0, 1],
      ],
      [20, 15, 0],
    );
    const axial = orientAxialLikePlanning(axialSliceThrough(volume.geometry, [0, 0, 4]).plane);
    const sagittal = orientLikeAxial(sagittalThrough(volume.geometry, [0, 0, 4]), axial);
    expect(sagittal.right[1]).toBeCloseTo(1);
    const oblique = orientLikeAxial(needleObliquePlane(volume.geometry, { tip: [0, 0, 4], hub: [60, -40, 4] }, 50), axial);
    expect(oblique.right[0]).toBeGreaterThan(0);
  });
});

describe('navigation overlay geometry', () => {
  const axialPlane = { normal: [0, 0, 1] as Vec3, point: [0, 0, 10] as Vec3 };
  it('a sphere cuts a plane in a circle of the right radius', () => {
    const cut = crossSection({ type: 'sphere', centre: [5, 5, 13], radiusMm: 5 }, axialPlane);
    expect(cut?.kind).toBe('outline');
    const points = cut!.kind === 'outline' ? cut!.points : [];
    for (const p of points) {
      expect(p[2]).toBeCloseTo(10);
      expect(Math.hypot(p[0] - 5, p[1] - 5)).toBeCloseTo(4); // √(25 − 9)
    }
    expect(crossSection({ type: 'sphere', centre: [5, 5, 16], radiusMm: 5 }, axialPlane)).toBeUndefined();
  });
  it('an ellipsoid cut through its centre is its ellipse', () => {
    const cut = crossSection(
      {
        type: 'ellipsoid',
        centre: [0, 0, 10],
        axes: [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
        radiiMm: [8, 3, 20],
      },
      axialPlane,
    );
    const points = cut!.kind === 'outline' ? cut!.points : [];
    const xs = points.map((p) => Math.abs(p[0]));
    const ys = points.map((p) => Math.abs(p[1]));
    expect(Math.max(...xs)).toBeCloseTo(8, 1);
    expect(Math.max(...ys)).toBeCloseTo(3, 1);
    for (const p of points) expect((p[0] / 8) ** 2 + (p[1] / 3) ** 2).toBeCloseTo(1, 6);
  });
  it('a tube crossing the plane is cut in discs of its radius around its axis', () => {
    const cut = crossSection(
      {
        type: 'tube',
        points: [
          [2, 3, 0],
          [2, 3, 20],
        ],
        radiusMm: 2,
      },
      axialPlane,
    );
    expect(cut?.kind).toBe('discs');
    const discs = cut!.kind === 'discs' ? cut!.discs : [];
    expect(Math.max(...discs.map((d) => d.radiusMm))).toBeCloseTo(2, 6);
    for (const d of discs) expect(Math.hypot(d.centre[0] - 2, d.centre[1] - 3)).toBeLessThan(1e-9);
  });
  it('the ultrasound image crosses a plane along a segment of the image', () => {
    // Image px of 0.5 mm: x lateral → Ct +x, y depth → Ct +z; the image's top-left at (−20, 0, 0).
    const imageToCt = transformOf('Image', 'Ct', [0.5, 0, 0, -20, 0, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0, 1]);
    const cut = usPlaneCut({ imageToCt, widthMm: 40, depthMm: 60 }, axialPlane)!;
    const xs = cut.map((p) => p[0]).sort((a, b) => a - b);
    expect(xs[0]).toBeCloseTo(-20);
    expect(xs[1]).toBeCloseTo(20);
    for (const p of cut) expect(p[2]).toBeCloseTo(10);
    expect(usPlaneCut({ imageToCt, widthMm: 40, depthMm: 5 }, axialPlane)).toBeUndefined();
  });
  it('three planes meet at the crosshair point', () => {
    const p = intersectPlanes([
      { normal: [0, 0, -1], point: [9, 9, -24.6] },
      { normal: [1, 0, 0], point: [3, -5, 7] },
      { normal: [0, 1, 0], point: [0, 21.9, 0] },
    ])!;
    expect(p[0]).toBeCloseTo(3);
    expect(p[1]).toBeCloseTo(21.9);
    expect(p[2]).toBeCloseTo(-24.6);
  });
});
