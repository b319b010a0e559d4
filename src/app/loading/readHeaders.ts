import { parseSliceHeader, type HeaderReadResult } from '../../core/dicom/parseSliceHeader';
import { undeflatePart10 } from '../../core/dicom/undeflatePart10';
import type { GivenFile } from './collectFiles';

/** Bytes read first from each file: enough for any ordinary header, far less than the pixels. */
const HEADER_PREFIX_BYTES = 64 * 1024;
const READS_IN_FLIGHT = 8;
const DEFLATE_UID = new TextEncoder().encode('1.2.840.10008.1.2.1.99');

/** A file's header, with the bytes to decode it from when they are not the file itself (gunzipped). */
export interface ReadFile {
  readonly result: HeaderReadResult;
  readonly source: File;
}

/**
 * Reads the header of every file: a 64 KiB prefix first, the whole file when the header is
 * longer or deflated; gzip-wrapped files are gunzipped and read again.
 */
export async function readHeaders(files: readonly GivenFile[], onProgress: (done: number) => void): Promise<ReadFile[]> {
  const out: ReadFile[] = new Array(files.length);
  let next = 0;
  let done = 0;
  // A few reads in flight hide the file system's latency; parsing itself is synchronous.
  const reader = async () => {
    while (next < files.length) {
      const index = next++;
      out[index] = await readOne(files[index]!, index);
      if (++done % 16 === 0) onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READS_IN_FLIGHT, files.length) }, reader));
  onProgress(files.length);
  return out;
}

async function readOne({ file, path }: GivenFile, index: number): Promise<ReadFile> {
  const prefix = new Uint8Array(await file.slice(0, HEADER_PREFIX_BYTES).arrayBuffer());
  const deflated = contains(prefix.subarray(0, 2048), DEFLATE_UID);
  if (prefix.length < file.size && !deflated) {
    const result = parseSliceHeader(prefix, path, index, { fileSize: file.size });
    if (result.kind !== 'unreadable') {
      return result.kind === 'gzip' ? gunzipAndRead(file, path, index) : { result, source: file };
    }
  }
  const bytes = prefix.length < file.size ? new Uint8Array(await file.arrayBuffer()) : prefix;
  if (deflated) return parseDeflated(bytes, path, index);
  const result = parseSliceHeader(bytes, path, index);
  return result.kind === 'gzip' ? gunzipAndRead(file, path, index) : { result, source: file };
}

async function gunzipAndRead(file: File, path: string, index: number): Promise<ReadFile> {
  try {
    const inflated = new Uint8Array(await new Response(file.stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
    const name = path.replace(/\.gz$/i, '');
    const result = parseSliceHeader(inflated, path, index);
    if (result.kind === 'not-dicom') return { result: { kind: 'not-dicom', fileName: path }, source: file };
    return { result, source: new File([inflated], name.split('/').pop() ?? name) };
  } catch {
    return { result: { kind: 'unreadable', fileName: path, reason: 'it is gzip-compressed but could not be gunzipped (damaged archive)' }, source: file };
  }
}

/**
 * Deflated datasets: inflate with the browser's DecompressionStream, read the header from the
 * result, and decode from an equivalent uncompressed file (cornerstone's metadata parser does
 * not inflate).
 */
async function parseDeflated(bytes: Uint8Array, path: string, index: number): Promise<ReadFile> {
  const original = new File([bytes.slice()], path.split('/').pop() ?? path);
  const metaEnd = findMetaEnd(bytes);
  if (metaEnd === undefined) {
    return { result: { kind: 'unreadable', fileName: path, reason: 'its file meta header is damaged' }, source: original };
  }
  let inflated: Uint8Array;
  try {
    const stream = new Blob([bytes.slice(metaEnd)]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    inflated = new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    return { result: { kind: 'unreadable', fileName: path, reason: 'it uses the deflate transfer syntax but its data could not be inflated' }, source: original };
  }
  const explicit = undeflatePart10(bytes, metaEnd, inflated);
  const result = parseSliceHeader(explicit, path, index);
  return { result, source: new File([explicit.slice()], original.name) };
}

/** End of the file meta group: 132 + 12 + (0002,0000) group length. */
function findMetaEnd(bytes: Uint8Array): number | undefined {
  if (bytes.length < 144 || bytes[132] !== 0x02 || bytes[133] !== 0x00 || bytes[134] !== 0x00 || bytes[135] !== 0x00) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return 144 + view.getUint32(140, true);
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
