import type { Vec3 } from '../geometry/vec3';

/**
 * What the loader needs from one DICOM file's header, read without decoding pixels.
 * Optional fields are absent from the file (never defaulted silently, so the series
 * assembler can name what is missing).
 */
export interface SliceHeader {
  /** Where the file came from (relative path when a folder was chosen), for messages. */
  readonly fileName: string;
  /** Position of the file in the list the user gave, to find its bytes again for decoding. */
  readonly fileIndex: number;
  readonly sopClassUid: string | undefined;
  readonly sopInstanceUid: string | undefined;
  readonly seriesInstanceUid: string;
  readonly studyInstanceUid: string | undefined;
  readonly modality: string | undefined;
  readonly seriesDescription: string | undefined;
  readonly seriesNumber: number | undefined;
  readonly transferSyntaxUid: string;
  readonly instanceNumber: number | undefined;
  readonly rows: number | undefined;
  readonly columns: number | undefined;
  readonly bitsAllocated: number | undefined;
  readonly bitsStored: number | undefined;
  /** 0 unsigned, 1 two's complement. */
  readonly pixelRepresentation: number | undefined;
  readonly samplesPerPixel: number;
  readonly photometricInterpretation: string | undefined;
  readonly numberOfFrames: number;
  /** DICOM order: [spacing between rows (mm, along the column direction), spacing between columns (mm, along the row direction)]. */
  readonly pixelSpacingMm: readonly [number, number] | undefined;
  /** Ct (LPS mm) position of the centre of the first transmitted pixel. */
  readonly imagePositionInCt: Vec3 | undefined;
  /** Unit direction of a row (increasing column) and of a column (increasing row), in Ct. */
  readonly imageOrientationInCt: readonly [Vec3, Vec3] | undefined;
  readonly sliceThicknessMm: number | undefined;
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
  readonly rescaleType: string | undefined;
  readonly patientPosition: string | undefined;
  readonly gantryTiltDeg: number | undefined;
  readonly windowCenter: number | undefined;
  readonly windowWidth: number | undefined;
  /** Identity as found; never displayed by default, only used to decide whether to warn. */
  readonly patientName: string | undefined;
  readonly patientId: string | undefined;
  readonly patientIdentityRemoved: boolean;
  readonly pixelData: PixelDataInfo;
}

export type PixelDataInfo =
  | { readonly kind: 'absent' }
  | { readonly kind: 'encapsulated' }
  /** Native (uncompressed) pixels: bytes the element declares and bytes actually in the file. */
  | { readonly kind: 'native'; readonly declaredBytes: number; readonly availableBytes: number };
