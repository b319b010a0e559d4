import type { SliceHeader } from '../dicom/sliceHeader';
import type { VolumeGeometry } from '../volume/volumeGeometry';

/** One input slice, placed: where it lies along the slice normal and how it is shifted in-plane. */
export interface PlacedSlice {
  readonly header: SliceHeader;
  /** Signed distance of the slice plane from the first slice's plane along the normal, mm. */
  readonly offsetAlongNormalMm: number;
  /** In-plane shift of the slice's first pixel from the output grid's origin, mm, along the row and column directions. */
  readonly inPlaneOffsetMm: readonly [number, number];
}

/**
 * How a series becomes a volume, decided from headers alone (before any pixel is decoded,
 * so a refusal costs nothing and no memory is allocated).
 * - `copy`: slices are equally spaced and stacked along their normal: each decoded slice is
 *   copied straight into the volume.
 * - `resample`: slices are unevenly spaced or sheared (gantry tilt); the volume is an
 *   orthogonal, uniform grid interpolated from them.
 */
export interface VolumePlan {
  readonly geometry: VolumeGeometry;
  readonly slices: readonly PlacedSlice[];
  readonly method: 'copy' | 'resample';
  readonly voxelType: 'int16' | 'float32';
  readonly voxelBytes: number;
  readonly warnings: readonly string[];
  readonly seriesInstanceUid: string;
  readonly seriesDescription: string;
}

export type PlanResult = { readonly ok: true; readonly plan: VolumePlan } | { readonly ok: false; readonly reason: string };

/** HU used for grid points outside every slice (air). */
export const OUTSIDE_SCAN_HU = -1024;
