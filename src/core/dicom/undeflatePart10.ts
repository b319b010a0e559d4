import { EXPLICIT_VR_LITTLE_ENDIAN } from './transferSyntax';

const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN', 'UC', 'UR', 'OD', 'OL', 'OV']);

/**
 * Turns a Deflated Explicit VR Little Endian Part 10 file into the equivalent Explicit VR
 * Little Endian file, given its dataset already inflated. Cornerstone's loader reads the
 * result like any uncompressed file (its own metadata parser does not inflate).
 *
 * `metaEnd` is the offset where the dataset starts (132 + 12 + the meta group length).
 */
export function undeflatePart10(original: Uint8Array, metaEnd: number, inflatedDataset: Uint8Array): Uint8Array {
  return withTransferSyntax(original, metaEnd, inflatedDataset, EXPLICIT_VR_LITTLE_ENDIAN);
}

/** A Part 10 file with the same preamble and file meta elements, another transfer syntax UID and the given dataset bytes. */
export function withTransferSyntax(original: Uint8Array, metaEnd: number, dataset: Uint8Array, transferSyntaxUid: string): Uint8Array {
  const view = new DataView(original.buffer, original.byteOffset, original.byteLength);
  const elements: Uint8Array[] = [];
  let at = 132;
  while (at < metaEnd) {
    const group = view.getUint16(at, true);
    const element = view.getUint16(at + 2, true);
    const vr = String.fromCharCode(original[at + 4]!, original[at + 5]!);
    const long = LONG_VRS.has(vr);
    const headerLength = long ? 12 : 8;
    const valueLength = long ? view.getUint32(at + 8, true) : view.getUint16(at + 6, true);
    const end = at + headerLength + valueLength;
    if (group !== 0x0002) break;
    if (element === 0x0010) elements.push(encodeUid(0x0010, transferSyntaxUid));
    else if (element !== 0x0000) elements.push(original.subarray(at, end));
    at = end;
  }
  const metaLength = elements.reduce((sum, e) => sum + e.length, 0);
  const out = new Uint8Array(132 + 12 + metaLength + dataset.length);
  out.set(original.subarray(0, 132), 0);
  const outView = new DataView(out.buffer);
  outView.setUint16(132, 0x0002, true);
  outView.setUint16(134, 0x0000, true);
  out[136] = 0x55; // U
  out[137] = 0x4c; // L
  outView.setUint16(138, 4, true);
  outView.setUint32(140, metaLength, true);
  let write = 144;
  for (const e of elements) {
    out.set(e, write);
    write += e.length;
  }
  out.set(dataset, write);
  return out;
}

function encodeUid(element: number, uid: string): Uint8Array {
  const length = uid.length + (uid.length % 2);
  const bytes = new Uint8Array(8 + length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0x0002, true);
  view.setUint16(2, element, true);
  bytes[4] = 0x55; // U
  bytes[5] = 0x49; // I
  view.setUint16(6, length, true);
  for (let i = 0; i < uid.length; i++) bytes[8 + i] = uid.charCodeAt(i);
  return bytes;
}
