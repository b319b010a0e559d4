import type { Vec3 } from '../geometry/vec3';
import { decimalString, writeDicomPart10, type DicomElement } from './writeDicom';
import { encodeRle16 } from './rleLossless';
import { EXPLICIT_VR_LITTLE_ENDIAN, RLE_LOSSLESS } from './transferSyntax';

export const CT_IMAGE_STORAGE_UID = '1.2.840.10008.5.1.4.1.1.2';

/** Everything one CT slice file says; used by the sample generator and by test fixtures. */
export interface CtSliceSpec {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  readonly frameOfReferenceUid: string;
  readonly seriesDescription: string;
  readonly seriesNumber: number;
  readonly instanceNumber: number;
  readonly rows: number;
  readonly columns: number;
  /** DICOM order: [between rows, between columns], mm. */
  readonly pixelSpacingMm: readonly [number, number];
  readonly imagePositionInCt: Vec3;
  readonly imageOrientationInCt: readonly [Vec3, Vec3];
  readonly sliceThicknessMm: number;
  /** Stored values; Int16Array means PixelRepresentation 1 (signed). */
  readonly storedPixels: Int16Array | Uint16Array;
  readonly bitsStored: number;
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
  readonly patientPosition: string;
  readonly modality?: string;
  /** Synthetic identity: the generated files hold no real person's data. */
  readonly patientName?: string;
  readonly patientId?: string;
  readonly windowCenter?: number;
  readonly windowWidth?: number;
  readonly acquisitionDate?: string;
  /** 'rle': RLE Lossless (smaller, exact); default uncompressed Explicit VR Little Endian. */
  readonly encoding?: 'native' | 'rle';
  readonly bodyPartExamined?: string;
  /** For a paired body part (a hip): R or L. Absent otherwise, as the General Series module requires. */
  readonly laterality?: 'R' | 'L';
  readonly imageComments?: string;
}

export function ctSliceElements(spec: CtSliceSpec): DicomElement[] {
  const signed = spec.storedPixels instanceof Int16Array;
  const [rowDirection, columnDirection] = spec.imageOrientationInCt;
  const date = spec.acquisitionDate ?? '20260101';
  const elements: DicomElement[] = [
    { tag: [0x0008, 0x0008], vr: 'CS', value: 'DERIVED\\SECONDARY\\AXIAL' },
    { tag: [0x0008, 0x0016], vr: 'UI', value: CT_IMAGE_STORAGE_UID },
    { tag: [0x0008, 0x0018], vr: 'UI', value: spec.sopInstanceUid },
    { tag: [0x0008, 0x0020], vr: 'DA', value: date },
    { tag: [0x0008, 0x0030], vr: 'TM', value: '120000' },
    { tag: [0x0008, 0x0050], vr: 'SH', value: '' },
    { tag: [0x0008, 0x0060], vr: 'CS', value: spec.modality ?? 'CT' },
    { tag: [0x0008, 0x0070], vr: 'LO', value: 'US-CT fusion simulator (synthetic)' },
    { tag: [0x0008, 0x0090], vr: 'PN', value: '' },
    { tag: [0x0008, 0x103e], vr: 'LO', value: spec.seriesDescription },
    { tag: [0x0010, 0x0010], vr: 'PN', value: spec.patientName ?? 'PHANTOM^SYNTHETIC' },
    { tag: [0x0010, 0x0020], vr: 'LO', value: spec.patientId ?? 'PHANTOM' },
    { tag: [0x0010, 0x0030], vr: 'DA', value: '' },
    { tag: [0x0010, 0x0040], vr: 'CS', value: 'O' },
    { tag: [0x0012, 0x0062], vr: 'CS', value: 'YES' },
    { tag: [0x0012, 0x0063], vr: 'LO', value: 'Synthetic phantom: no patient data' },
    { tag: [0x0018, 0x0050], vr: 'DS', value: decimalString([spec.sliceThicknessMm]) },
    { tag: [0x0018, 0x0060], vr: 'DS', value: '120' },
    { tag: [0x0018, 0x5100], vr: 'CS', value: spec.patientPosition },
    { tag: [0x0020, 0x000d], vr: 'UI', value: spec.studyInstanceUid },
    { tag: [0x0020, 0x000e], vr: 'UI', value: spec.seriesInstanceUid },
    { tag: [0x0020, 0x0010], vr: 'SH', value: '1' },
    { tag: [0x0020, 0x0011], vr: 'IS', value: String(spec.seriesNumber) },
    { tag: [0x0020, 0x0012], vr: 'IS', value: '1' },
    { tag: [0x0020, 0x0013], vr: 'IS', value: String(spec.instanceNumber) },
    { tag: [0x0020, 0x0032], vr: 'DS', value: decimalString(spec.imagePositionInCt) },
    { tag: [0x0020, 0x0037], vr: 'DS', value: decimalString([...rowDirection, ...columnDirection]) },
    { tag: [0x0020, 0x0052], vr: 'UI', value: spec.frameOfReferenceUid },
    { tag: [0x0020, 0x1040], vr: 'LO', value: '' },
    { tag: [0x0028, 0x0002], vr: 'US', value: [1] },
    { tag: [0x0028, 0x0004], vr: 'CS', value: 'MONOCHROME2' },
    { tag: [0x0028, 0x0010], vr: 'US', value: [spec.rows] },
    { tag: [0x0028, 0x0011], vr: 'US', value: [spec.columns] },
    { tag: [0x0028, 0x0030], vr: 'DS', value: decimalString(spec.pixelSpacingMm) },
    { tag: [0x0028, 0x0100], vr: 'US', value: [16] },
    { tag: [0x0028, 0x0101], vr: 'US', value: [spec.bitsStored] },
    { tag: [0x0028, 0x0102], vr: 'US', value: [spec.bitsStored - 1] },
    { tag: [0x0028, 0x0103], vr: 'US', value: [signed ? 1 : 0] },
    { tag: [0x0028, 0x1052], vr: 'DS', value: decimalString([spec.rescaleIntercept]) },
    { tag: [0x0028, 0x1053], vr: 'DS', value: decimalString([spec.rescaleSlope]) },
    { tag: [0x0028, 0x1054], vr: 'LO', value: 'HU' },
    spec.encoding === 'rle'
      ? { tag: [0x7fe0, 0x0010], vr: 'OB', value: { encapsulatedFrames: [encodeRle16(spec.storedPixels, spec.columns, spec.rows)] } }
      : { tag: [0x7fe0, 0x0010], vr: 'OW', value: spec.storedPixels },
  ];
  if (spec.encoding === 'rle') elements.push({ tag: [0x0028, 0x2110], vr: 'CS', value: '00' });
  if (spec.laterality) elements.push({ tag: [0x0020, 0x0060], vr: 'CS', value: spec.laterality });
  if (spec.bodyPartExamined) elements.push({ tag: [0x0018, 0x0015], vr: 'CS', value: spec.bodyPartExamined });
  if (spec.imageComments) elements.push({ tag: [0x0020, 0x4000], vr: 'LT', value: spec.imageComments });
  if (spec.windowCenter !== undefined && spec.windowWidth !== undefined) {
    elements.push({ tag: [0x0028, 0x1050], vr: 'DS', value: decimalString([spec.windowCenter]) });
    elements.push({ tag: [0x0028, 0x1051], vr: 'DS', value: decimalString([spec.windowWidth]) });
  }
  return elements;
}

/** A CT slice as a Part 10 file. `edit` may drop or change elements (test fixtures for damaged headers). */
export function writeCtSlice(spec: CtSliceSpec, edit?: (elements: DicomElement[]) => DicomElement[]): Uint8Array {
  const elements = ctSliceElements(spec);
  return writeDicomPart10(edit ? edit(elements) : elements, {
    sopClassUid: CT_IMAGE_STORAGE_UID,
    sopInstanceUid: spec.sopInstanceUid,
    transferSyntaxUid: spec.encoding === 'rle' ? RLE_LOSSLESS : EXPLICIT_VR_LITTLE_ENDIAN,
  });
}
