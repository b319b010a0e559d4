import type { CtVolume } from '../volume/ctVolume';
import { resampleSlices } from './resampleSlices';
import type { VolumePlan } from './volumePlan';

const INT16_MIN = -32768;
const INT16_MAX = 32767;

/**
 * Fills a volume from decoded slices, one at a time in any order, so that a `copy` plan never
 * holds more than the voxels themselves plus one decoded slice.
 */
export interface VolumeAssembly {
  /**
   * Places the decoded pixels of `plan.slices[sliceIndex]`.
   * `pixels` are stored values (the header's rescale is applied here) unless `alreadyHu`,
   * when the decoder has already applied the modality LUT.
   */
  addSlice(sliceIndex: number, pixels: ArrayLike<number>, alreadyHu: boolean): void;
  /** Checks every slice arrived and returns the volume. */
  finish(): CtVolume;
}

export function startVolumeAssembly(plan: VolumePlan): VolumeAssembly {
  const [nx, ny, nz] = plan.geometry.dimensions;
  const sliceLength = nx * ny;
  const huVoxels = plan.voxelType === 'int16' ? new Int16Array(sliceLength * nz) : new Float32Array(sliceLength * nz);
  const received = new Uint8Array(plan.slices.length);
  // For a resample plan the input slices are kept (as HU) until all have arrived.
  const inputSlicesHu: (Float32Array | undefined)[] = plan.method === 'resample' ? new Array(plan.slices.length) : [];
  let clampedVoxels = 0;
  let roundedVoxels = 0;

  const toHu = (sliceIndex: number, alreadyHu: boolean) => {
    const { rescaleSlope, rescaleIntercept } = plan.slices[sliceIndex]!.header;
    return alreadyHu ? (value: number) => value : (value: number) => value * rescaleSlope + rescaleIntercept;
  };

  return {
    addSlice(sliceIndex, pixels, alreadyHu) {
      const placed = plan.slices[sliceIndex];
      if (!placed) throw new Error(`Slice ${sliceIndex} is not part of this series`);
      const inputLength = placed.header.rows! * placed.header.columns!;
      if (pixels.length < inputLength) {
        throw new Error(`${placed.header.fileName} decoded to ${pixels.length} pixels, but ${placed.header.columns}×${placed.header.rows} were expected`);
      }
      const hu = toHu(sliceIndex, alreadyHu);
      if (plan.method === 'resample') {
        const slice = new Float32Array(inputLength);
        for (let p = 0; p < inputLength; p++) slice[p] = hu(pixels[p]!);
        inputSlicesHu[sliceIndex] = slice;
      } else {
        const base = sliceIndex * sliceLength;
        if (huVoxels instanceof Int16Array) {
          for (let p = 0; p < inputLength; p++) {
            const value = hu(pixels[p]!);
            let whole = Math.round(value);
            if (whole !== value) roundedVoxels++;
            if (whole < INT16_MIN || whole > INT16_MAX) {
              clampedVoxels++;
              whole = whole < INT16_MIN ? INT16_MIN : INT16_MAX;
            }
            huVoxels[base + p] = whole;
          }
        } else {
          for (let p = 0; p < inputLength; p++) huVoxels[base + p] = hu(pixels[p]!);
        }
      }
      received[sliceIndex] = 1;
    },

    finish() {
      const missing = received.indexOf(0);
      if (missing >= 0) throw new Error(`${plan.slices[missing]!.header.fileName} was never decoded`);
      if (plan.method === 'resample') {
        const stats = resampleSlices(plan, inputSlicesHu as Float32Array[], huVoxels);
        clampedVoxels += stats.clampedVoxels;
      }
      const warnings = [...plan.warnings];
      if (clampedVoxels > 0) warnings.push(`${clampedVoxels} voxels lay outside −32768…32767 HU and were clamped (metal or damaged data).`);
      if (roundedVoxels > 0) warnings.push(`${roundedVoxels} voxels had fractional HU and were rounded to whole HU.`);
      return {
        geometry: plan.geometry,
        huVoxels,
        seriesInstanceUid: plan.seriesInstanceUid,
        seriesDescription: plan.seriesDescription,
        warnings,
      };
    },
  };
}
