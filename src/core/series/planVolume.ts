import { addScaled, dot, normalize, subtract } from '../geometry/vec3';
import type { SliceHeader } from '../dicom/sliceHeader';
import { findHeaderProblem, sliceNormal } from './checkSliceHeaders';
import { DEFAULT_MAX_VOXEL_BYTES, formatBytes } from './memoryBudget';
import type { PlacedSlice, PlanResult } from './volumePlan';

/** Two slices closer than this along the normal are at the same position. */
const DUPLICATE_TOLERANCE_MM = 0.01;
/** Spacing counts as uniform when every step is within this of the mean (absolute, and relative). */
const SPACING_TOLERANCE_MM = 0.02;
const SPACING_TOLERANCE_FRACTION = 0.01;
/** A shear (gantry tilt) smaller than this fraction of a pixel over the whole stack is ignored. */
const SHEAR_TOLERANCE_PIXELS = 0.25;

export interface PlanOptions {
  readonly maxVoxelBytes?: number;
}

/**
 * Decides, from headers only, how one CT series becomes a volume in Ct (LPS mm): sorted by
 * position along the slice normal (never by file name or InstanceNumber), with spacing from
 * the positions themselves, and resampled when the positions are uneven or sheared.
 */
export function planVolume(headersInAnyOrder: readonly SliceHeader[], options: PlanOptions = {}): PlanResult {
  if (headersInAnyOrder.length === 0) return { ok: false, reason: 'the series has no files' };
  const problem = findHeaderProblem(headersInAnyOrder);
  if (problem) return { ok: false, reason: problem };

  const warnings: string[] = [];
  const first = headersInAnyOrder[0]!;
  const normal = sliceNormal(first);
  // Unit axes: IOP values are often written with a few digits, so re-normalise them.
  const rowDirection = normalize(first.imageOrientationInCt![0]);
  const columnDirection = normalize(first.imageOrientationInCt![1]);
  const positionOf = (h: SliceHeader) => dot(h.imagePositionInCt!, normal);
  const sorted = [...headersInAnyOrder].sort((a, b) => positionOf(a) - positionOf(b));

  // Duplicates: the same file given twice is dropped; two different images at one position are refused.
  const unique: SliceHeader[] = [];
  for (const header of sorted) {
    const previous = unique[unique.length - 1];
    if (previous && Math.abs(positionOf(header) - positionOf(previous)) < DUPLICATE_TOLERANCE_MM) {
      if (header.sopInstanceUid !== undefined && header.sopInstanceUid === previous.sopInstanceUid) {
        warnings.push(`${header.fileName} is a second copy of ${previous.fileName} (same SOPInstanceUID); the copy was ignored.`);
        continue;
      }
      return {
        ok: false,
        reason: `${previous.fileName} and ${header.fileName} are two different images at the same position (${positionOf(header).toFixed(2)} mm along the slice normal); the series may hold two acquisitions or reconstructions. Load the files of one of them only`,
      };
    }
    unique.push(header);
  }

  const [rowSpacing, columnSpacing] = first.pixelSpacingMm!;
  const columns = first.columns!;
  const rows = first.rows!;
  const origin0 = unique[0]!.imagePositionInCt!;
  const offsets = unique.map((h) => {
    const fromFirst = subtract(h.imagePositionInCt!, origin0);
    return { h, along: dot(fromFirst, normal), u: dot(fromFirst, rowDirection), v: dot(fromFirst, columnDirection) };
  });
  const count = unique.length;
  const steps = offsets.slice(1).map((o, k) => o.along - offsets[k]!.along);
  const meanStep = count > 1 ? offsets[count - 1]!.along / (count - 1) : undefined;
  const medianStep = median(steps);

  let sliceSpacing: number;
  let uneven = false;
  if (count === 1) {
    sliceSpacing = first.sliceThicknessMm && first.sliceThicknessMm > 0 ? first.sliceThicknessMm : 1;
    warnings.push(`This series is a single slice: only the axial view shows an image, and nothing outside this plane can be navigated. Load the whole series for 3D work.`);
  } else {
    const tolerance = Math.max(SPACING_TOLERANCE_MM, SPACING_TOLERANCE_FRACTION * meanStep!);
    uneven = steps.some((step) => Math.abs(step - meanStep!) > tolerance);
    sliceSpacing = uneven ? medianStep! : meanStep!;
    if (uneven) {
      const smallest = Math.min(...steps);
      const largest = Math.max(...steps);
      const at = steps.indexOf(largest);
      warnings.push(
        `Slice spacing is not uniform (${smallest.toFixed(2)} to ${largest.toFixed(2)} mm; the largest gap is between ${offsets[at]!.h.fileName} and ${offsets[at + 1]!.h.fileName}). ` +
          `The volume was resampled to a uniform ${sliceSpacing.toFixed(2)} mm grid; anatomy inside wide gaps is interpolated, not measured.`,
      );
    }
  }

  const maxShearMm = Math.max(...offsets.map((o) => Math.hypot(o.u, o.v)));
  const sheared = maxShearMm > SHEAR_TOLERANCE_PIXELS * Math.min(rowSpacing, columnSpacing);
  if (sheared) {
    const last = offsets[count - 1]!;
    const tiltDeg = (Math.atan2(Math.hypot(last.u, last.v), last.along) * 180) / Math.PI;
    warnings.push(
      `Gantry tilt of ${tiltDeg.toFixed(1)}°: the slices are shifted against each other (sheared stack). ` +
        `The volume was resampled onto an orthogonal grid so that every voxel sits at its true position; voxels outside the scanned field read ${-1024} HU.`,
    );
  }

  // Output grid: in-plane, the union of all slices' footprints; along the normal, first to last slice.
  const uMin = Math.min(...offsets.map((o) => o.u));
  const vMin = Math.min(...offsets.map((o) => o.v));
  const uMax = Math.max(...offsets.map((o) => o.u)) + (columns - 1) * columnSpacing;
  const vMax = Math.max(...offsets.map((o) => o.v)) + (rows - 1) * rowSpacing;
  const nx = sheared ? Math.round((uMax - uMin) / columnSpacing) + 1 : columns;
  const ny = sheared ? Math.round((vMax - vMin) / rowSpacing) + 1 : rows;
  const nz = count === 1 ? 1 : uneven ? Math.round(offsets[count - 1]!.along / sliceSpacing) + 1 : count;
  const originInCt = sheared ? addScaled(addScaled(origin0, rowDirection, uMin), columnDirection, vMin) : origin0;

  const voxelType = unique.every((h) => Number.isInteger(h.rescaleSlope) && Number.isInteger(h.rescaleIntercept)) ? 'int16' : 'float32';
  const voxelBytes = nx * ny * nz * (voxelType === 'int16' ? 2 : 4);
  const maxVoxelBytes = options.maxVoxelBytes ?? DEFAULT_MAX_VOXEL_BYTES;
  if (voxelBytes > maxVoxelBytes) {
    return {
      ok: false,
      reason: `the series is too large: its voxels need ${formatBytes(voxelBytes)} (${nx}×${ny}×${nz}), more than the ${formatBytes(maxVoxelBytes)} this simulator allows in a browser tab. Load a series with thicker slices or a shorter range`,
    };
  }
  if (voxelType === 'float32') {
    warnings.push('The rescale slope or intercept is not a whole number, so HU are kept as 32-bit floats (twice the memory).');
  }

  const slices: PlacedSlice[] = offsets.map((o) => ({
    header: o.h,
    offsetAlongNormalMm: o.along,
    inPlaneOffsetMm: [o.u - (sheared ? uMin : 0), o.v - (sheared ? vMin : 0)],
  }));
  return {
    ok: true,
    plan: {
      geometry: {
        dimensions: [nx, ny, nz],
        spacingMm: [columnSpacing, rowSpacing, sliceSpacing],
        originInCt,
        axesInCt: [rowDirection, columnDirection, normal],
      },
      slices,
      method: uneven || sheared ? 'resample' : 'copy',
      voxelType,
      voxelBytes,
      warnings,
      seriesInstanceUid: first.seriesInstanceUid,
      seriesDescription: first.seriesDescription ?? '',
    },
  };
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
