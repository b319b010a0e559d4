import dicomParser, { type DataSet } from 'dicom-parser';
import type { Vec3 } from '../geometry/vec3';
import type { PixelDataInfo, SliceHeader } from './sliceHeader';
import { sniffFileKind } from './sniffFileKind';
import { IMPLICIT_VR_LITTLE_ENDIAN, isNativeTransferSyntax } from './transferSyntax';

/** The result of reading one file's header. */
export type HeaderReadResult =
  | { readonly kind: 'header'; readonly header: SliceHeader }
  | { readonly kind: 'not-dicom'; readonly fileName: string }
  /** gzip-wrapped: the caller may gunzip it and read again. */
  | { readonly kind: 'gzip'; readonly fileName: string }
  | { readonly kind: 'unreadable'; readonly fileName: string; readonly reason: string };

export interface ParseOptions {
  /**
   * Inflates raw deflate data (no zlib header), for the Deflated Explicit VR Little Endian
   * transfer syntax. In the browser the adapter inflates asynchronously first and passes a
   * function returning the result; Node passes zlib.inflateRawSync.
   */
  readonly inflateRaw?: (deflated: Uint8Array) => Uint8Array;
  /**
   * Size of the whole file when `bytes` is only its beginning (the header is read from a
   * prefix so that a 300-file series does not read its pixels twice).
   */
  readonly fileSize?: number;
}

const PIXEL_DATA_TAG = 'x7fe00010';

/** Parses the header of one DICOM file (Part 10 or a bare implicit-VR dataset) without decoding pixels. */
export function parseSliceHeader(bytes: Uint8Array, fileName: string, fileIndex: number, options: ParseOptions = {}): HeaderReadResult {
  const kind = sniffFileKind(bytes);
  if (kind === 'not-dicom') return { kind: 'not-dicom', fileName };
  if (kind === 'gzip') return { kind: 'gzip', fileName };

  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, {
      untilTag: PIXEL_DATA_TAG,
      ...(kind === 'raw-dataset' ? { TransferSyntaxUID: IMPLICIT_VR_LITTLE_ENDIAN } : {}),
      ...(options.inflateRaw ? { inflater: inflaterFrom(options.inflateRaw) } : {}),
    });
  } catch (error) {
    return { kind: 'unreadable', fileName, reason: describeParseError(error, bytes.length) };
  }

  const seriesInstanceUid = text(dataSet, 'x0020000e');
  if (!seriesInstanceUid) {
    return {
      kind: 'unreadable',
      fileName,
      reason: 'it has no SeriesInstanceUID (0020,000E), so it cannot be grouped into a series; the header may be damaged',
    };
  }
  const transferSyntaxUid = text(dataSet, 'x00020010') ?? IMPLICIT_VR_LITTLE_ENDIAN;
  const header: SliceHeader = {
    fileName,
    fileIndex,
    sopClassUid: text(dataSet, 'x00080016'),
    sopInstanceUid: text(dataSet, 'x00080018'),
    seriesInstanceUid,
    studyInstanceUid: text(dataSet, 'x0020000d'),
    modality: text(dataSet, 'x00080060'),
    seriesDescription: text(dataSet, 'x0008103e'),
    seriesNumber: integer(dataSet, 'x00200011'),
    transferSyntaxUid,
    instanceNumber: integer(dataSet, 'x00200013'),
    rows: dataSet.uint16('x00280010'),
    columns: dataSet.uint16('x00280011'),
    bitsAllocated: dataSet.uint16('x00280100'),
    bitsStored: dataSet.uint16('x00280101'),
    pixelRepresentation: dataSet.uint16('x00280103'),
    samplesPerPixel: dataSet.uint16('x00280002') ?? 1,
    photometricInterpretation: text(dataSet, 'x00280004'),
    numberOfFrames: integer(dataSet, 'x00280008') ?? 1,
    pixelSpacingMm: numbers(dataSet, 'x00280030', 2) as readonly [number, number] | undefined,
    imagePositionInCt: numbers(dataSet, 'x00200032', 3) as Vec3 | undefined,
    imageOrientationInCt: orientation(dataSet),
    sliceThicknessMm: decimal(dataSet, 'x00180050'),
    rescaleSlope: decimal(dataSet, 'x00281053') ?? 1,
    rescaleIntercept: decimal(dataSet, 'x00281052') ?? 0,
    rescaleType: text(dataSet, 'x00281054'),
    patientPosition: text(dataSet, 'x00185100'),
    gantryTiltDeg: decimal(dataSet, 'x00181120'),
    windowCenter: decimal(dataSet, 'x00281050'),
    windowWidth: decimal(dataSet, 'x00281051'),
    patientName: text(dataSet, 'x00100010'),
    patientId: text(dataSet, 'x00100020'),
    patientIdentityRemoved: (text(dataSet, 'x00120062') ?? '').toUpperCase() === 'YES',
    // For a deflated file the parser works on the inflated bytes, so measure those.
    pixelData: pixelDataInfo(dataSet, transferSyntaxUid, options.fileSize ?? dataSet.byteArray.length),
  };
  return { kind: 'header', header };
}

function inflaterFrom(inflateRaw: (deflated: Uint8Array) => Uint8Array) {
  return (byteArray: Uint8Array, position: number): Uint8Array => {
    const inflated = inflateRaw(byteArray.subarray(position));
    const full = new Uint8Array(position + inflated.length);
    full.set(byteArray.subarray(0, position), 0);
    full.set(inflated, position);
    return full;
  };
}

function describeParseError(error: unknown, byteLength: number): string {
  const message = typeof error === 'string' ? error : error instanceof Error ? error.message : String(error);
  if (/overread|beyond|end of buffer|out of range|greater than or equal to 'byteArray' length/i.test(message)) {
    return `the file ends inside its DICOM header (${byteLength} bytes): it is truncated or damaged`;
  }
  if (/inflater/i.test(message)) return 'it is deflate-compressed and could not be inflated';
  return `its DICOM header could not be read (${message.replace(/^dicomParser\.\w+: /, '')})`;
}

function pixelDataInfo(dataSet: DataSet, transferSyntaxUid: string, fileSize: number): PixelDataInfo {
  const element = dataSet.elements[PIXEL_DATA_TAG];
  if (!element) return { kind: 'absent' };
  if (!isNativeTransferSyntax(transferSyntaxUid) || element.hadUndefinedLength || element.length === 0xffffffff) {
    return { kind: 'encapsulated' };
  }
  const availableBytes = Math.max(0, fileSize - element.dataOffset);
  return { kind: 'native', declaredBytes: element.length, availableBytes };
}

function text(dataSet: DataSet, tag: string): string | undefined {
  const value = dataSet.string(tag);
  return value === undefined || value === '' ? undefined : value;
}

function decimal(dataSet: DataSet, tag: string): number | undefined {
  const value = dataSet.floatString(tag);
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

function integer(dataSet: DataSet, tag: string): number | undefined {
  const value = dataSet.intString(tag);
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

/** A multi-valued decimal string (PixelSpacing, ImagePositionPatient …) with exactly `count` finite values. */
function numbers(dataSet: DataSet, tag: string, count: number): readonly number[] | undefined {
  const raw = dataSet.string(tag);
  if (!raw) return undefined;
  const values = raw.split('\\').map((part) => Number.parseFloat(part));
  if (values.length < count || values.slice(0, count).some((v) => !Number.isFinite(v))) return undefined;
  return values.slice(0, count);
}

function orientation(dataSet: DataSet): readonly [Vec3, Vec3] | undefined {
  const values = numbers(dataSet, 'x00200037', 6);
  if (!values) return undefined;
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = values;
  return [
    [a, b, c],
    [d, e, f],
  ];
}
