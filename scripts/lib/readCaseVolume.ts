import dicomParser from 'dicom-parser';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSliceHeader } from '../../src/core/dicom/parseSliceHeader';
import { decodeRle16 } from '../../src/core/dicom/rleLossless';
import type { SliceHeader } from '../../src/core/dicom/sliceHeader';
import { startVolumeAssembly } from '../../src/core/series/assembleVolume';
import { planVolume } from '../../src/core/series/planVolume';
import type { CtVolume } from '../../src/core/volume/ctVolume';

/**
 * Reads a bundled case's shipped DICOM in Node (headers with the core's parser, RLE frames with
 * the core's decoder) into a CtVolume, for pictures and tests. The app decodes the same files
 * with cornerstone; the end-to-end tests check both agree.
 */
export function readCaseVolume(folder: string): CtVolume {
  const names = readdirSync(folder)
    .filter((n) => n.endsWith('.dcm'))
    .sort();
  const files = names.map((name) => new Uint8Array(readFileSync(join(folder, name))));
  const headers: SliceHeader[] = files.map((bytes, index) => {
    const result = parseSliceHeader(bytes, names[index]!, index);
    if (result.kind !== 'header') throw new Error(`${names[index]} did not parse`);
    return result.header;
  });
  const result = planVolume(headers);
  if (!result.ok) throw new Error(result.reason);
  const assembly = startVolumeAssembly(result.plan);
  result.plan.slices.forEach((placed, sliceIndex) => {
    const bytes = files[placed.header.fileIndex]!;
    const dataSet = dicomParser.parseDicom(bytes);
    const element = dataSet.elements.x7fe00010!;
    const frame = dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0);
    assembly.addSlice(sliceIndex, decodeRle16(frame, placed.header.columns!, placed.header.rows!), false);
  });
  return assembly.finish();
}
