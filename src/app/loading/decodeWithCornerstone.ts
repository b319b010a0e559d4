import { Enums, getWebWorkerManager } from '@cornerstonejs/core';
import { wadouri } from '@cornerstonejs/dicom-image-loader';
import dicomParser from 'dicom-parser';
import type { SliceHeader } from '../../core/dicom/sliceHeader';
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
 * Decodes every slice of the plan with cornerstone's DICOM image loader — its frame extraction
 * (`wadouri.getPixelData`) and its decode web workers, whose codecs handle JPEG, JPEG-LS,
 * JPEG 2000, RLE and big endian — and hands the stored values to the core assembly, which
 * applies each slice's rescale. Each file is read, decoded, copied into the volume and
 * released, so memory holds the volume plus a few slices, never the whole series twice.
 *
 * Why not `imageLoader.loadImage`: for local files it first parses every file a second time
 * with dcmjs into cornerstone's metadata cache (`prefetchPart10Instance`), which doubled the
 * load time of a 300-slice series and kept each file's bytes; the headers are already read
 * (dicom-parser) and the geometry is the core's, so only the pixel decode is needed.
 */
export async function decodeSlices(plan: VolumePlan, sourceOf: (fileIndex: number) => File, assembly: VolumeAssembly, onProgress: (decoded: number) => void): Promise<void> {
  let next = 0;
  let decoded = 0;
  const worker = async () => {
    while (next < plan.slices.length) {
      const sliceIndex = next++;
      const { header } = plan.slices[sliceIndex]!;
      const pixels = await decodeOne(sourceOf(header.fileIndex), header);
      assembly.addSlice(sliceIndex, pixels, false);
      decoded++;
      if (decoded % 8 === 0 || decoded === plan.slices.length) onProgress(decoded);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_SLICES, plan.slices.length) }, worker));
}

async function decodeOne(file: File, header: SliceHeader): Promise<ArrayLike<number>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const work = (async () => {
      const dataSet = dicomParser.parseDicom(new Uint8Array(await file.arrayBuffer()));
      const pixelData = wadouri.getPixelData(dataSet, 0);
      if (!pixelData) throw new Error('it has no pixel data');
      const imageFrame = {
        samplesPerPixel: header.samplesPerPixel,
        photometricInterpretation: header.photometricInterpretation,
        planarConfiguration: dataSet.uint16('x00280006') ?? 0,
        rows: header.rows,
        columns: header.columns,
        bitsAllocated: header.bitsAllocated,
        bitsStored: header.bitsStored,
        pixelRepresentation: header.pixelRepresentation,
      };
      // The loader's own decode task, in its web workers; rescale is applied by the core. The
      // file's buffer is transferred to the worker, not copied (it is not needed here again).
      const decoded = (await getWebWorkerManager().executeTask(
        'dicomImageLoader',
        'decodeTask',
        { imageFrame, transferSyntax: header.transferSyntaxUid, pixelData, options: { preScale: { enabled: false }, transferPixelData: true }, decodeConfig: {} },
        { requestType: Enums.RequestType.Interaction },
      )) as { pixelData?: ArrayLike<number> };
      if (!decoded.pixelData) throw new Error('the decoder returned no pixels');
      return decoded.pixelData;
    })();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`decoding took longer than ${SLICE_TIMEOUT_MS / 1000} s`)), SLICE_TIMEOUT_MS);
    });
    return await Promise.race([work, timeout]);
  } catch (error) {
    throw new SliceDecodeError(header.fileName, describe(error));
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error.replace(/^dicomParser\.\w+: /, '');
  if (typeof error === 'object' && error !== null && 'error' in error) return describe((error as { error: unknown }).error);
  return String(error);
}
