import dicomParser from 'dicom-parser';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { parseSliceHeader } from '../../src/core/dicom/parseSliceHeader';
import type { SliceHeader } from '../../src/core/dicom/sliceHeader';
import { sniffFileKind } from '../../src/core/dicom/sniffFileKind';
import { EXPLICIT_VR_BIG_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN, isNativeTransferSyntax } from '../../src/core/dicom/transferSyntax';
import { startVolumeAssembly } from '../../src/core/series/assembleVolume';
import { planVolume } from '../../src/core/series/planVolume';
import { groupIntoSeries } from '../../src/core/series/seriesCandidate';
import type { CtVolume } from '../../src/core/volume/ctVolume';
import { decodeCompressedFrame, type StoredPixels } from './decodeCompressedFrame';

/**
 * Reads a folder of DICOM files (recursively) into a CtVolume in Node, the way the app does:
 * headers by the core's parser, series grouped by SeriesInstanceUID, the loadable CT series with
 * the most slices chosen, geometry and refusals by planVolume (sorted by position, resampled
 * when uneven or sheared), HU by the volume assembly. Pixels: native little/big endian and
 * deflated read here, RLE and the JPEG family by decodeCompressedFrame. Throws an Error whose
 * message says what is wrong with the folder.
 */
export interface ReadFolderResult {
  readonly volume: CtVolume;
  /** Files skipped (not DICOM, other series) and the loader's warnings, for the user. */
  readonly notes: readonly string[];
  readonly transferSyntaxes: readonly string[];
}

const inflateRaw = (d: Uint8Array) => new Uint8Array(inflateRawSync(d));

export async function readDicomFolder(folder: string): Promise<ReadFolderResult> {
  if (!existsSync(folder)) throw new Error(`--ct ${folder}: no such folder`);
  if (!statSync(folder).isDirectory()) throw new Error(`--ct ${folder}: not a folder (give the folder that holds the series' files)`);
  const paths = listFiles(folder);
  if (paths.length === 0) throw new Error(`--ct ${folder}: the folder is empty`);
  const files: Uint8Array[] = [];
  const headers: SliceHeader[] = [];
  const notDicom: string[] = [];
  const unreadable: string[] = [];
  for (const path of paths) {
    const name = relative(folder, path);
    let bytes = new Uint8Array(readFileSync(path));
    if (sniffFileKind(bytes) === 'gzip') {
      try {
        bytes = new Uint8Array(gunzipSync(bytes));
      } catch {
        unreadable.push(`${name}: gzip data that does not inflate`);
        continue;
      }
    }
    const result = parseSliceHeader(bytes, name, files.length, { inflateRaw });
    if (result.kind === 'header') {
      headers.push(result.header);
      files.push(bytes);
    } else if (result.kind === 'unreadable') unreadable.push(`${name}: ${result.reason}`);
    else notDicom.push(name);
  }
  const notes: string[] = [];
  if (notDicom.length > 0) notes.push(`${notDicom.length} file(s) not DICOM, skipped (${notDicom.slice(0, 3).join(', ')}${notDicom.length > 3 ? ', …' : ''})`);
  for (const line of unreadable) notes.push(`could not read ${line}`);

  const series = groupIntoSeries(headers);
  const loadable = series.filter((s) => !s.notLoadableBecause);
  if (loadable.length === 0) {
    const why = series.map((s) => `series "${s.description}" (${s.headers.length} file(s)): ${s.notLoadableBecause}`);
    const what = headers.length === 0 ? `no DICOM file among its ${paths.length} file(s)` : 'no CT series';
    throw new Error(`--ct ${folder}: ${what}${why.length ? '; ' + why.join('; ') : ''}${unreadable.length ? '; ' + unreadable.slice(0, 3).join('; ') : ''}`);
  }
  const chosen = loadable.reduce((best, s) => (s.headers.length > best.headers.length ? s : best));
  for (const other of series)
    if (other !== chosen) notes.push(`series "${other.description}" (${other.headers.length} file(s)) not used${other.notLoadableBecause ? ': ' + other.notLoadableBecause : ''}`);
  const planned = planVolume(chosen.headers);
  if (!planned.ok) throw new Error(`--ct ${folder}: the CT series "${chosen.description}" cannot be loaded: ${planned.reason}`);

  const assembly = startVolumeAssembly(planned.plan);
  for (const [sliceIndex, placed] of planned.plan.slices.entries()) {
    assembly.addSlice(sliceIndex, await storedPixels(files[placed.header.fileIndex]!, placed.header), false);
  }
  const volume = assembly.finish();
  notes.push(...volume.warnings);
  return { volume, notes, transferSyntaxes: [...new Set(chosen.headers.map((h) => h.transferSyntaxUid))] };
}

/** Every file under `folder`, sorted (hidden files and folders skipped). */
function listFiles(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** The stored values of one single-frame greyscale slice (the assembly applies the rescale). */
async function storedPixels(bytes: Uint8Array, header: SliceHeader): Promise<StoredPixels> {
  const { fileName, transferSyntaxUid, columns, rows, bitsAllocated, pixelRepresentation } = header;
  if (columns === undefined || rows === undefined || bitsAllocated === undefined) throw new Error(`${fileName}: Rows/Columns/BitsAllocated missing`);
  const dataSet = dicomParser.parseDicom(bytes, {
    ...(sniffFileKind(bytes) === 'raw-dataset' ? { TransferSyntaxUID: IMPLICIT_VR_LITTLE_ENDIAN } : {}),
    inflater: (byteArray: Uint8Array, position: number) => {
      // The meta header as it is, then the inflated dataset (what parseSliceHeader does too).
      const inflated = inflateRaw(byteArray.subarray(position));
      const joined = new Uint8Array(position + inflated.length);
      joined.set(byteArray.subarray(0, position), 0);
      joined.set(inflated, position);
      return joined;
    },
  });
  const element = dataSet.elements.x7fe00010;
  if (!element) throw new Error(`${fileName}: no PixelData (7FE0,0010)`);
  const signed = pixelRepresentation === 1;
  if (!isNativeTransferSyntax(transferSyntaxUid)) {
    // One frame: all its fragments (with or without a basic offset table).
    const frame = dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, element.fragments?.length ?? 1);
    const pixels = await decodeCompressedFrame(frame, { fileName, transferSyntaxUid, columns, rows, bitsAllocated, pixelRepresentation: pixelRepresentation ?? 0 });
    if (pixels.length < columns * rows) throw new Error(`${fileName}: decoded to ${pixels.length} pixels, ${columns}×${rows} expected`);
    return pixels;
  }
  const count = columns * rows;
  const bytesPerPixel = bitsAllocated / 8;
  if (bitsAllocated !== 8 && bitsAllocated !== 16) throw new Error(`${fileName}: BitsAllocated ${bitsAllocated}; only 8 or 16 are read`);
  const source = dataSet.byteArray; // for a deflated file, the inflated bytes
  if (element.length < count * bytesPerPixel || element.dataOffset + count * bytesPerPixel > source.length) {
    throw new Error(
      `${fileName}: PixelData holds ${Math.min(element.length, source.length - element.dataOffset)} bytes, ${count * bytesPerPixel} expected (truncated or damaged file)`,
    );
  }
  const view = new DataView(source.buffer, source.byteOffset + element.dataOffset, count * bytesPerPixel);
  if (bitsAllocated === 8) return signed ? Int8Array.from({ length: count }, (_, p) => view.getInt8(p)) : source.slice(element.dataOffset, element.dataOffset + count);
  const littleEndian = transferSyntaxUid !== EXPLICIT_VR_BIG_ENDIAN;
  const stored = header.bitsStored ?? 16;
  if (signed) {
    const values = new Int16Array(count);
    const shift = 32 - stored;
    // Sign-extend from BitsStored (bits above it are not part of the value).
    for (let p = 0; p < count; p++) values[p] = (view.getUint16(2 * p, littleEndian) << shift) >> shift;
    return values;
  }
  const values = new Uint16Array(count);
  const mask = stored >= 16 ? 0xffff : (1 << stored) - 1;
  for (let p = 0; p < count; p++) values[p] = view.getUint16(2 * p, littleEndian) & mask;
  return values;
}
