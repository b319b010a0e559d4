import { imageLoader } from '@cornerstonejs/core';
import { prefetchPart10Instance, wadouri } from '@cornerstonejs/dicom-image-loader';
import { Enums as MetadataEnums, metaData } from '@cornerstonejs/metadata';
import type { VolumeAssembly } from '../../core/series/assembleVolume';
import type { VolumePlan } from '../../core/series/volumePlan';

/** Slices decoded at once: keeps both decode workers busy without holding many files in memory. */
const CONCURRENT_SLICES = 6;
/** A slice that takes longer than this is reported as undecodable instead of hanging the app. */
const SLICE_TIMEOUT_MS = 30_000;

/** A slice that could not be decoded, with the file to name in the message. */
export class SliceDecodeError extends Error {
  constructor(
    readonly fileName: string,
    detail: string,
  ) {
    super(`${fileName} could not be decoded: ${detail}`);
  }
}

/**
 * Decodes every slice of the plan through cornerstone's DICOM image loader (its web-worker
 * codecs handle JPEG, JPEG-LS, JPEG 2000, RLE, deflate and big endian) and hands the pixels
 * to the core assembly. Each file is read, decoded, copied into the volume and released, so
 * memory holds the volume plus a few slices, never the whole series twice.
 */
export async function decodeSlices(
  plan: VolumePlan,
  sourceOf: (fileIndex: number) => File,
  assembly: VolumeAssembly,
  onProgress: (decoded: number) => void,
): Promise<void> {
  let next = 0;
  let decoded = 0;
  const worker = async () => {
    while (next < plan.slices.length) {
      const sliceIndex = next++;
      const { header } = plan.slices[sliceIndex]!;
      const pixels = await decodeOne(sourceOf(header.fileIndex), header.fileName);
      assembly.addSlice(sliceIndex, pixels.values, pixels.alreadyHu);
      decoded++;
      if (decoded % 8 === 0 || decoded === plan.slices.length) onProgress(decoded);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_SLICES, plan.slices.length) }, worker));
}

async function decodeOne(file: File, fileName: string): Promise<{ values: ArrayLike<number>; alreadyHu: boolean }> {
  const imageId = wadouri.fileManager.add(file);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const work = (async () => {
      await prefetchPart10Instance(imageId, await file.arrayBuffer());
      const image = await imageLoader.loadImage(imageId);
      return { values: image.getPixelData(), alreadyHu: image.preScale?.scaled === true };
    })();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`decoding took longer than ${SLICE_TIMEOUT_MS / 1000} s`)), SLICE_TIMEOUT_MS);
    });
    return await Promise.race([work, timeout]);
  } catch (error) {
    throw new SliceDecodeError(fileName, describe(error));
  } finally {
    clearTimeout(timer);
    release(imageId);
  }
}

/** Drops everything cornerstone kept of the file: the decoded volume holds the pixels now. */
function release(imageId: string): void {
  metaData.clearQuery(MetadataEnums.MetadataModules.NATURALIZED, imageId);
  const index = Number.parseInt(imageId.slice('dicomfile:'.length), 10);
  if (Number.isFinite(index)) wadouri.fileManager.remove(index);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'error' in error) return describe((error as { error: unknown }).error);
  return String(error);
}
