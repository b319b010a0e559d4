import type { ProbeModel } from '../../src/core/tracking/probeModels';

/** The largest image the command writes (pixels): a 15 cm curvilinear fan at 0.1 mm is 3.4 Mpx. */
export const MAX_IMAGE_PIXELS = 40e6;

/**
 * A variant of a probe model whose image grid fits the depth and pixel size asked for: the
 * rectangle (linear) or the fan (curvilinear) fills the image, and the top-centre pixel is the
 * centre of the transducer face (imageToProbe's convention: column (columns − 1)/2, row 0; an
 * odd column count puts that pixel exactly on the face centre). The curvilinear fan's top corners
 * lie above the face centre (the arc curves up toward its ends) and are cut by the image's top
 * edge, as in the app. Footprint, radius and sector stay the probe's.
 */
export function probeForImage(base: ProbeModel, depthMm: number, frequencyMHz: number, mmPerPixel: number): ProbeModel {
  // Half the image width, mm: the linear array's half-width, or the fan's at its deepest arc.
  const halfWidthMm = base.type === 'linear' ? base.footprintWidthMm / 2 : (base.radiusMm + depthMm) * Math.sin(Math.min(90, base.sectorDeg / 2) * (Math.PI / 180));
  // A pixel whose centre lies within 1e-6 mm of the field's edge still counts as inside it.
  const halfColumns = base.type === 'linear' ? Math.floor(halfWidthMm / mmPerPixel + 1e-6) : Math.ceil(halfWidthMm / mmPerPixel - 1e-6);
  const columns = 2 * halfColumns + 1;
  // Row r lies r·mmPerPixel below the face; the deepest row holds the full depth on the axis.
  const rows = Math.floor(depthMm / mmPerPixel + 1e-6) + 1;
  if (columns * rows > MAX_IMAGE_PIXELS) {
    const suggested = Math.sqrt((2 * halfWidthMm * depthMm) / MAX_IMAGE_PIXELS);
    throw new Error(
      `the image would be ${columns}×${rows} pixels (more than ${MAX_IMAGE_PIXELS / 1e6} million): use --pixel-mm ${suggested.toFixed(2)} or more, or a smaller --depth`,
    );
  }
  return { ...base, frequencyMHz, depthMm, mmPerPixel, columns, rows };
}
