/**
 * A small DICOM Part 10 writer (Explicit VR Little Endian), for the generated sample series
 * and for test fixtures whose headers must be exactly what a test needs. It writes what it
 * is given, nothing more: callers are responsible for a valid IOD.
 */
export type DicomValue = string | readonly number[] | Uint8Array | Int16Array | Uint16Array | EncapsulatedFrames;

/** Compressed frames for encapsulated PixelData: written with an empty basic offset table. */
export interface EncapsulatedFrames {
  readonly encapsulatedFrames: readonly Uint8Array[];
}

export interface DicomElement {
  /** (group, element), e.g. [0x0020, 0x0032]. */
  readonly tag: readonly [number, number];
  readonly vr: string;
  readonly value: DicomValue;
}

const LONG_LENGTH_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN', 'UC', 'UR', 'OD', 'OL', 'OV']);
export const EXPLICIT_LITTLE_ENDIAN_UID = '1.2.840.10008.1.2.1';

/** Encodes a full Part 10 file: preamble, DICM, file meta group, then the dataset (sorted by tag). */
export function writeDicomPart10(dataset: readonly DicomElement[], meta: { sopClassUid: string; sopInstanceUid: string; transferSyntaxUid?: string }): Uint8Array {
  const metaElements: DicomElement[] = [
    { tag: [0x0002, 0x0001], vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: [0x0002, 0x0002], vr: 'UI', value: meta.sopClassUid },
    { tag: [0x0002, 0x0003], vr: 'UI', value: meta.sopInstanceUid },
    { tag: [0x0002, 0x0010], vr: 'UI', value: meta.transferSyntaxUid ?? EXPLICIT_LITTLE_ENDIAN_UID },
    { tag: [0x0002, 0x0012], vr: 'UI', value: '1.2.826.0.1.3680043.10.1511.1' },
    { tag: [0x0002, 0x0013], vr: 'SH', value: 'USCTSIM_0_1' },
  ];
  const metaBody = concat(metaElements.map(encodeElement));
  const groupLength = encodeElement({ tag: [0x0002, 0x0000], vr: 'UL', value: [metaBody.length] });
  const sorted = [...dataset].sort((a, b) => a.tag[0] - b.tag[0] || a.tag[1] - b.tag[1]);
  const body = concat(sorted.map(encodeElement));
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128);
  return concat([preamble, groupLength, metaBody, body]);
}

function encodeElement(element: DicomElement): Uint8Array {
  if (typeof element.value === 'object' && 'encapsulatedFrames' in element.value) return encodeEncapsulated(element.tag, element.value);
  const valueBytes = encodeValue(element);
  const long = LONG_LENGTH_VRS.has(element.vr);
  const header = new Uint8Array(long ? 12 : 8);
  const view = new DataView(header.buffer);
  view.setUint16(0, element.tag[0], true);
  view.setUint16(2, element.tag[1], true);
  header[4] = element.vr.charCodeAt(0);
  header[5] = element.vr.charCodeAt(1);
  if (long) view.setUint32(8, valueBytes.length, true);
  else view.setUint16(6, valueBytes.length, true);
  return concat([header, valueBytes]);
}

/** (7FE0,0010) OB of undefined length: an empty offset-table item, one item per frame, a sequence delimiter. */
function encodeEncapsulated(tag: readonly [number, number], { encapsulatedFrames }: EncapsulatedFrames): Uint8Array {
  const item = (bytes: Uint8Array) => {
    const padded = padEven(bytes, 0);
    const header = new Uint8Array(8);
    const view = new DataView(header.buffer);
    view.setUint16(0, 0xfffe, true);
    view.setUint16(2, 0xe000, true);
    view.setUint32(4, padded.length, true);
    return concat([header, padded]);
  };
  const header = new Uint8Array(12);
  const view = new DataView(header.buffer);
  view.setUint16(0, tag[0], true);
  view.setUint16(2, tag[1], true);
  header[4] = 0x4f; // O
  header[5] = 0x42; // B
  view.setUint32(8, 0xffffffff, true);
  const delimiter = new Uint8Array(8);
  const delimiterView = new DataView(delimiter.buffer);
  delimiterView.setUint16(0, 0xfffe, true);
  delimiterView.setUint16(2, 0xe0dd, true);
  return concat([header, item(new Uint8Array()), ...encapsulatedFrames.map(item), delimiter]);
}

function encodeValue({ vr, value }: DicomElement): Uint8Array {
  if (value instanceof Uint8Array) return padEven(value, 0);
  if (!(value instanceof Int16Array || value instanceof Uint16Array) && typeof value === 'object' && 'encapsulatedFrames' in value) {
    throw new Error('writeDicom: encapsulated frames are written by encodeEncapsulated');
  }
  if (value instanceof Int16Array || value instanceof Uint16Array) {
    return padEven(new Uint8Array(value.buffer, value.byteOffset, value.byteLength), 0);
  }
  if (typeof value === 'string') {
    const bytes = asciiBytes(value);
    return padEven(bytes, vr === 'UI' ? 0 : 0x20);
  }
  const numbers = value as readonly number[];
  const sizes: Record<string, number> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8 };
  const size = sizes[vr];
  if (size === undefined) throw new Error(`writeDicom: numeric value given for VR ${vr}; pass a string`);
  const out = new Uint8Array(numbers.length * size);
  const view = new DataView(out.buffer);
  numbers.forEach((n, index) => {
    const at = index * size;
    if (vr === 'US') view.setUint16(at, n, true);
    else if (vr === 'SS') view.setInt16(at, n, true);
    else if (vr === 'UL') view.setUint32(at, n, true);
    else if (vr === 'SL') view.setInt32(at, n, true);
    else if (vr === 'FL') view.setFloat32(at, n, true);
    else view.setFloat64(at, n, true);
  });
  return out;
}

/** DICOM's default character repertoire is ASCII; anything else needs SpecificCharacterSet, which this writer does not set. */
function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code > 0x7e) throw new Error(`writeDicom: "${text}" is not ASCII`);
    bytes[index] = code;
  }
  return bytes;
}

function padEven(bytes: Uint8Array, pad: number): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = pad;
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Formats numbers for a DS (decimal string) value: at most 16 characters each, joined by backslashes. */
export function decimalString(values: readonly number[]): string {
  return values
    .map((v) => {
      const rounded = Number.parseFloat(v.toPrecision(10));
      let text = String(Object.is(rounded, -0) ? 0 : rounded);
      if (text.length > 16) text = rounded.toExponential(8);
      return text;
    })
    .join('\\');
}
