/**
 * What a file is, judged from its first bytes only, so that a folder full of other files
 * (PNG, text, zero-byte) is sorted out before any parser runs on it.
 */
export type FileKind = 'part10' | 'raw-dataset' | 'gzip' | 'not-dicom';

export function sniffFileKind(bytes: Uint8Array): FileKind {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (
    bytes.length >= 132 &&
    bytes[128] === 0x44 && // D
    bytes[129] === 0x49 && // I
    bytes[130] === 0x43 && // C
    bytes[131] === 0x4d // M
  ) {
    return 'part10';
  }
  // A dataset without the Part 10 preamble (older exports) starts with a group 0x0008 tag,
  // little endian, usually (0008,0005) or (0008,0008) or (0008,0016).
  if (bytes.length >= 8 && bytes[0] === 0x08 && bytes[1] === 0x00 && (bytes[3] ?? 1) === 0x00 && (bytes[2] ?? 0xff) < 0x30) {
    return 'raw-dataset';
  }
  return 'not-dicom';
}
