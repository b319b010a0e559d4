/** Transfer syntax UIDs the loader treats specially; cornerstone's codecs decode the rest. */
export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';
export const RLE_LOSSLESS = '1.2.840.10008.1.2.5';

const NATIVE = new Set([IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_BIG_ENDIAN]);

/** Pixels stored uncompressed, so their byte count can be checked before decoding. */
export const isNativeTransferSyntax = (uid: string): boolean => NATIVE.has(uid);

/** Transfer syntaxes of cornerstone's dicom-image-loader (JPEG, JPEG-LS, JPEG 2000, HTJ2K, RLE and the native ones). */
const DECODABLE_PREFIXES = ['1.2.840.10008.1.2.4.', '1.2.840.10008.1.2.5'];
export function isDecodableTransferSyntax(uid: string): boolean {
  if (NATIVE.has(uid)) return true;
  if (uid.startsWith('1.2.840.10008.1.2.4.10')) return false; // MPEG video
  return DECODABLE_PREFIXES.some((prefix) => uid.startsWith(prefix));
}
