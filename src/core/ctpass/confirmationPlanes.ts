import { dot, length, normalize, scale, subtract, type Vec3 } from '../geometry/vec3';
import type { ImagePlane } from '../reslice/reslicePlane';
import type { CtVolume } from '../volume/ctVolume';
import { ctIjkToCt, ctToCtIjk, type VolumeGeometry } from '../volume/volumeGeometry';
import { insertedLengthMm } from './insertedLength';
import type { NeedleInCt } from './needleInCt';

/**
 * The two images a confirmation CT pass shows (Ct = DICOM LPS mm throughout):
 *
 * - **axial**: the CT's own slice through the tip, as the scanner reconstructs it. The plane is
 *   the volume's slice plane (right = axesInCt[0], down = axesInCt[1], so a prone scan shows the
 *   back at the top as acquired), snapped to the centre of the slice nearest the tip, covering
 *   the whole field of view at the native pixel size (coarser only when the slice would exceed
 *   AXIAL_MAX_PIXELS). When the image has the volume's dimensions, every pixel sits on a voxel
 *   centre: the picture is the slice itself.
 * - **oblique**: a reformat containing the shaft, centred on the tip, wide enough for the whole
 *   inserted shaft plus a margin beyond (and as far past the tip, as it is centred), 3/4 as tall.
 *   `right` runs along the shaft, pointing the way that agrees with the axial view's right (so
 *   the needle enters from the same side in both images), or hub → tip when the shaft is nearly
 *   perpendicular to that direction. `down` is the in-plane direction perpendicular to the shaft
 *   closest to the slice normal turned toward the feet, which puts the endplates above and below
 *   a needle in a disc; when the shaft is within 30° of the slice normal that is ill-defined, and
 *   `down` is taken closest to the axial view's down instead.
 */
export interface ConfirmationPlanes {
  readonly axial: ImagePlane;
  /** The slice index (k) of the axial image: the slice nearest the tip. */
  readonly sliceIndex: number;
  readonly oblique: ImagePlane;
  /** The length of shaft inside the body the oblique was sized for, mm. */
  readonly insertedMm: number;
}

export interface ObliqueOptions {
  /** Shown beyond the inserted shaft (and around the tip), mm. Default 30. */
  readonly marginMm?: number;
  /** The oblique's columns stay near this (pixels between 0.5 and 0.8 mm). Default 400. */
  readonly targetPixels?: number;
}

/** The axial image stays at the native pixel size up to this width. */
export const AXIAL_MAX_PIXELS = 512;
const OBLIQUE_MIN_MM_PER_PIXEL = 0.5;
const OBLIQUE_MAX_MM_PER_PIXEL = 0.8;
/** The oblique shows at least ±40 mm around the tip, whatever the insertion depth. */
const OBLIQUE_MIN_HALF_WIDTH_MM = 40;
/** Height over width of the oblique. */
const OBLIQUE_ASPECT = 0.75;

export function confirmationPlanes(volume: CtVolume, needle: NeedleInCt, options: ObliqueOptions = {}): ConfirmationPlanes {
  const { plane: axial, sliceIndex } = axialSliceThrough(volume.geometry, needle.tip);
  const insertedMm = insertedLengthMm(volume, needle);
  return { axial, sliceIndex, oblique: needleObliquePlane(volume.geometry, needle, insertedMm, options), insertedMm };
}

/** The CT slice nearest a point, as a full field-of-view image plane through that slice's centre. */
export function axialSliceThrough(geometry: VolumeGeometry, pointInCt: Vec3): { plane: ImagePlane; sliceIndex: number } {
  const [nx, ny, nz] = geometry.dimensions;
  const [sx, sy] = geometry.spacingMm;
  const sliceIndex = Math.max(0, Math.min(nz - 1, Math.round(ctToCtIjk(geometry, pointInCt)[2])));
  const widthMm = nx * sx;
  const heightMm = ny * sy;
  const mmPerPixel = Math.max(Math.min(sx, sy), Math.max(widthMm, heightMm) / AXIAL_MAX_PIXELS);
  return {
    sliceIndex,
    plane: {
      centreInCt: ctIjkToCt(geometry, [(nx - 1) / 2, (ny - 1) / 2, sliceIndex]),
      right: geometry.axesInCt[0],
      down: geometry.axesInCt[1],
      columns: Math.max(1, Math.round(widthMm / mmPerPixel)),
      rows: Math.max(1, Math.round(heightMm / mmPerPixel)),
      mmPerPixel,
    },
  };
}

/** The reformat along the needle (see ConfirmationPlanes). Throws when tip and hub coincide. */
export function needleObliquePlane(geometry: VolumeGeometry, needle: NeedleInCt, insertedMm: number, options: ObliqueOptions = {}): ImagePlane {
  const { marginMm = 30, targetPixels = 400 } = options;
  const shaft = subtract(needle.tip, needle.hub);
  if (length(shaft) < 1e-9) throw new Error('The needle has no direction (its tip and hub are at the same point): cannot lay a plane along it.');
  const hubToTip = normalize(shaft);
  const along = dot(hubToTip, geometry.axesInCt[0]);
  const right = Math.abs(along) >= 0.25 && along < 0 ? scale(hubToTip, -1) : hubToTip;

  const normal = geometry.axesInCt[2];
  const towardFeet = normal[2] > 0 ? scale(normal, -1) : normal;
  let down = perpendicularPart(towardFeet, right);
  if (length(down) < 0.5) down = perpendicularPart(geometry.axesInCt[1], right);
  down = normalize(down);

  const widthMm = 2 * Math.max(OBLIQUE_MIN_HALF_WIDTH_MM, insertedMm + marginMm);
  const mmPerPixel = Math.min(OBLIQUE_MAX_MM_PER_PIXEL, Math.max(OBLIQUE_MIN_MM_PER_PIXEL, widthMm / targetPixels));
  // Odd, so the tip falls on the centre of a pixel; 4:3, about the shape of an axial slice of the trunk.
  const columns = 2 * Math.ceil(widthMm / mmPerPixel / 2) + 1;
  const rows = 2 * Math.ceil((OBLIQUE_ASPECT * widthMm) / mmPerPixel / 2) + 1;
  return { centreInCt: needle.tip, right, down, columns, rows, mmPerPixel };
}

/** `v` minus its component along the unit vector `unit`. */
const perpendicularPart = (v: Vec3, unit: Vec3): Vec3 => {
  const d = dot(v, unit);
  return [v[0] - unit[0] * d, v[1] - unit[1] * d, v[2] - unit[2] * d];
};

/**
 * For a pass without a needle (the final CT after it was withdrawn): a sagittal reformat through
 * a point, centred on it, `widthMm` wide and 3/4 as tall. `right` is the axial view's down made perpendicular
 * to the slice normal (posterior for a supine scan, so anterior is on the left as usual;
 * anterior for a prone one, which keeps the table side on the same side in both views), and
 * `down` the slice normal turned toward the feet.
 */
export function sagittalThrough(geometry: VolumeGeometry, pointInCt: Vec3, widthMm = 200, targetPixels = 400): ImagePlane {
  const normal = geometry.axesInCt[2];
  const down = normal[2] > 0 ? scale(normal, -1) : normal;
  const right = normalize(perpendicularPart(geometry.axesInCt[1], down));
  const mmPerPixel = Math.min(OBLIQUE_MAX_MM_PER_PIXEL, Math.max(OBLIQUE_MIN_MM_PER_PIXEL, widthMm / targetPixels));
  const columns = 2 * Math.ceil(widthMm / mmPerPixel / 2) + 1;
  const rows = 2 * Math.ceil((OBLIQUE_ASPECT * widthMm) / mmPerPixel / 2) + 1;
  return { centreInCt: pointInCt, right, down, columns, rows, mmPerPixel };
}
