import { OUTSIDE_SCAN_HU, type VolumePlan } from './volumePlan';

/**
 * Interpolates parallel input slices (unevenly spaced and/or shifted in-plane by a gantry
 * tilt) onto the plan's uniform orthogonal grid.
 *
 * All slices share one orientation with the grid, so for an output slice k the two input
 * slices around it and their weights are fixed, and each input slice is only shifted in-plane
 * by a constant offset: bilinear in-plane, linear along the normal. Points outside a slice's
 * footprint read OUTSIDE_SCAN_HU.
 */
export function resampleSlices(plan: VolumePlan, inputSlicesHu: readonly Float32Array[], out: Int16Array | Float32Array): { clampedVoxels: number } {
  const [nx, ny, nz] = plan.geometry.dimensions;
  const [sx, sy, sz] = plan.geometry.spacingMm;
  const slices = plan.slices;
  const inColumns = slices[0]!.header.columns!;
  const inRows = slices[0]!.header.rows!;
  const isInt = out instanceof Int16Array;
  let clampedVoxels = 0;
  let lower = 0;

  for (let k = 0; k < nz; k++) {
    const along = k * sz;
    while (lower < slices.length - 2 && slices[lower + 1]!.offsetAlongNormalMm <= along) lower++;
    const a = slices[lower]!;
    const b = slices[Math.min(lower + 1, slices.length - 1)]!;
    const span = b.offsetAlongNormalMm - a.offsetAlongNormalMm;
    const weightB = span > 0 ? Math.min(1, Math.max(0, (along - a.offsetAlongNormalMm) / span)) : 0;
    const sliceA = inputSlicesHu[lower]!;
    const sliceB = inputSlicesHu[Math.min(lower + 1, slices.length - 1)]!;
    // Output pixel (i, j) sits at u = i·sx, v = j·sy from the grid origin; in input slice s that is
    // column (u − uOffset_s)/sx and row (v − vOffset_s)/sy.
    const shiftA: readonly [number, number] = [a.inPlaneOffsetMm[0] / sx, a.inPlaneOffsetMm[1] / sy];
    const shiftB: readonly [number, number] = [b.inPlaneOffsetMm[0] / sx, b.inPlaneOffsetMm[1] / sy];
    const base = k * nx * ny;
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const valueA = bilinear(sliceA, inColumns, inRows, i - shiftA[0], j - shiftA[1]);
        const valueB = weightB > 0 ? bilinear(sliceB, inColumns, inRows, i - shiftB[0], j - shiftB[1]) : valueA;
        let value = valueA + (valueB - valueA) * weightB;
        if (isInt) {
          value = Math.round(value);
          if (value < -32768 || value > 32767) {
            clampedVoxels++;
            value = value < 0 ? -32768 : 32767;
          }
        }
        out[base + j * nx + i] = value;
      }
    }
  }
  return { clampedVoxels };
}

/** Bilinear sample at fractional (column, row); OUTSIDE_SCAN_HU beyond the slice (half a pixel of margin). */
function bilinear(slice: Float32Array, columns: number, rows: number, column: number, row: number): number {
  if (column < -0.5 || row < -0.5 || column > columns - 0.5 || row > rows - 0.5) return OUTSIDE_SCAN_HU;
  const c = Math.min(Math.max(column, 0), columns - 1);
  const r = Math.min(Math.max(row, 0), rows - 1);
  const c0 = Math.min(Math.floor(c), columns - 2 < 0 ? 0 : columns - 2);
  const r0 = Math.min(Math.floor(r), rows - 2 < 0 ? 0 : rows - 2);
  const fc = columns > 1 ? c - c0 : 0;
  const fr = rows > 1 ? r - r0 : 0;
  const c1 = columns > 1 ? c0 + 1 : c0;
  const r1 = rows > 1 ? r0 + 1 : r0;
  const top = slice[r0 * columns + c0]! * (1 - fc) + slice[r0 * columns + c1]! * fc;
  const bottom = slice[r1 * columns + c0]! * (1 - fc) + slice[r1 * columns + c1]! * fc;
  return top * (1 - fr) + bottom * fr;
}
