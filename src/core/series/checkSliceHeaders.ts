import { cross, dot, length, type Vec3 } from '../geometry/vec3';
import type { SliceHeader } from '../dicom/sliceHeader';

/** Tolerances for "the same" between slices of one series. */
const DIRECTION_TOLERANCE = 1e-3; // cosine components (about 0.06°)
const PIXEL_SPACING_TOLERANCE_MM = 1e-3;

/**
 * Checks each slice has what placing it in 3D needs, and that all slices agree on matrix,
 * pixel spacing and orientation. Returns the reason for refusing, or undefined when fine.
 * Messages name the tag, the file and what the user can do.
 */
export function findHeaderProblem(headers: readonly SliceHeader[]): string | undefined {
  const count = headers.length;
  const missing = (what: (h: SliceHeader) => boolean) => headers.filter(what);

  const noImage = missing((h) => h.rows === undefined || h.columns === undefined || h.bitsAllocated === undefined);
  if (noImage.length > 0) {
    return `${describeFiles(noImage, count)} no Rows/Columns/BitsAllocated: they are not images the loader can read`;
  }
  const noSpacing = missing((h) => h.pixelSpacingMm === undefined || h.pixelSpacingMm[0] <= 0 || h.pixelSpacingMm[1] <= 0);
  if (noSpacing.length > 0) {
    return `${describeFiles(noSpacing, count)} no valid PixelSpacing (0028,0030), so distances cannot be measured in millimetres; navigation needs them. Load the original CT series from the scanner or PACS`;
  }
  const unplaced = missing((h) => h.imagePositionInCt === undefined || h.imageOrientationInCt === undefined);
  if (unplaced.length > 0) {
    return `${describeFiles(unplaced, count)} no ImagePositionPatient (0020,0032) or ImageOrientationPatient (0020,0037), so the slices cannot be placed in 3D. Load the original CT series, not secondary captures or screenshots`;
  }
  const noPixels = missing((h) => h.pixelData.kind === 'absent');
  if (noPixels.length > 0) return `${describeFiles(noPixels, count)} no PixelData (7FE0,0010)`;

  for (const header of headers) {
    const damage = nativePixelDataProblem(header);
    if (damage) return damage;
  }

  const first = headers[0]!;
  const [rowDirection, columnDirection] = first.imageOrientationInCt!;
  if (
    Math.abs(length(rowDirection) - 1) > DIRECTION_TOLERANCE ||
    Math.abs(length(columnDirection) - 1) > DIRECTION_TOLERANCE ||
    Math.abs(dot(rowDirection, columnDirection)) > DIRECTION_TOLERANCE
  ) {
    return `ImageOrientationPatient of ${first.fileName} is not two perpendicular unit vectors (${[...rowDirection, ...columnDirection].join('\\')}); the header is damaged`;
  }
  for (const header of headers) {
    if (header.rows !== first.rows || header.columns !== first.columns) {
      return `slices have different matrices (${first.fileName}: ${first.columns}×${first.rows}, ${header.fileName}: ${header.columns}×${header.rows}); the folder may mix two series with one SeriesInstanceUID`;
    }
    const [a0, a1] = header.pixelSpacingMm!;
    const [b0, b1] = first.pixelSpacingMm!;
    if (Math.abs(a0 - b0) > PIXEL_SPACING_TOLERANCE_MM || Math.abs(a1 - b1) > PIXEL_SPACING_TOLERANCE_MM) {
      return `slices have different pixel spacings (${first.fileName}: ${b0}\\${b1} mm, ${header.fileName}: ${a0}\\${a1} mm); a volume needs one grid`;
    }
    const [r, c] = header.imageOrientationInCt!;
    if (!sameDirection(r, rowDirection) || !sameDirection(c, columnDirection)) {
      return `slices have different orientations (${first.fileName} and ${header.fileName}); the series may hold several stacks (e.g. a scout and an axial set): load one stack at a time`;
    }
  }
  return undefined;
}

/** A native (uncompressed) PixelData element that is shorter than the matrix needs, or cut off by the end of the file. */
function nativePixelDataProblem(header: SliceHeader): string | undefined {
  const info = header.pixelData;
  if (info.kind !== 'native') return undefined;
  const needed = header.rows! * header.columns! * Math.ceil(header.bitsAllocated! / 8) * header.samplesPerPixel * header.numberOfFrames;
  if (info.availableBytes < Math.min(info.declaredBytes, needed)) {
    return `${header.fileName} is truncated: its pixel data should hold ${info.declaredBytes} bytes but the file ends after ${info.availableBytes}. Copy the file again from its source`;
  }
  if (info.declaredBytes < needed) {
    return `${header.fileName} is damaged: its pixel data holds ${info.declaredBytes} bytes, but ${header.columns}×${header.rows} pixels of ${header.bitsAllocated} bits need ${needed}`;
  }
  return undefined;
}

const sameDirection = (a: Vec3, b: Vec3): boolean =>
  Math.abs(a[0] - b[0]) <= DIRECTION_TOLERANCE && Math.abs(a[1] - b[1]) <= DIRECTION_TOLERANCE && Math.abs(a[2] - b[2]) <= DIRECTION_TOLERANCE;

function describeFiles(files: readonly SliceHeader[], total: number): string {
  const names = files
    .slice(0, 3)
    .map((h) => h.fileName)
    .join(', ');
  const more = files.length > 3 ? ` and ${files.length - 3} more` : '';
  return files.length === total && total > 1
    ? `all ${total} files (${names}${more}) have`
    : `${files.length === 1 ? '' : files.length + ' files: '}${names}${more} ${files.length === 1 ? 'has' : 'have'}`;
}

/** Unit normal of the slice planes: row direction × column direction (right-handed, as cornerstone). */
export function sliceNormal(header: SliceHeader): Vec3 {
  const [r, c] = header.imageOrientationInCt!;
  const n = cross(r, c);
  const size = length(n);
  return [n[0] / size, n[1] / size, n[2] / size];
}
