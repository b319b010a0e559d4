import { seededRandom } from '../random/seededRandom';
import type { PhantomDefinition } from './phantomDefinition';
import { createHuCanvas, paint } from './rasterize';
import { HU } from './phantomLayer';

/** Stored values: HU + 1024 in 12 bits (RescaleIntercept −1024, slope 1), as most CT scanners write. */
export const STORED_OFFSET = 1024;
const STORED_MAX = 4095;

/**
 * Paints every layer (partial-volume anti-aliased), adds CT noise inside the body and returns
 * the stored values, slice by slice (index k of the geometry). Deterministic for a seed.
 *
 * Noise: white Gaussian noise smoothed in-plane by a [1 2 1]/4 kernel in each direction (real
 * CT noise is spatially correlated by the reconstruction filter), rescaled to `noiseSdHu`.
 */
export function renderPhantom(definition: PhantomDefinition, seed: number): Uint16Array[] {
  const canvas = createHuCanvas(definition.geometry, HU.air);
  for (const layer of definition.layers) paint(canvas, layer.shape, layer.hu);
  const [nx, ny, nz] = definition.geometry.dimensions;
  const random = seededRandom(seed);
  // [1 2 1]/4 in x then y: each pass keeps √(6/16) of the SD.
  const smoothingGain = 1 / (6 / 16);
  const slices: Uint16Array[] = [];
  const white = new Float32Array(nx * ny);
  const smoothX = new Float32Array(nx * ny);
  for (let k = 0; k < nz; k++) {
    for (let p = 0; p < white.length; p++) white[p] = random.gaussian();
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const c = j * nx + i;
        smoothX[c] = (white[c - (i > 0 ? 1 : 0)]! + 2 * white[c]! + white[c + (i < nx - 1 ? 1 : 0)]!) / 4;
      }
    }
    const stored = new Uint16Array(nx * ny);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const c = j * nx + i;
        const hu = canvas.hu[k * nx * ny + c]!;
        const noise = (smoothX[c - (j > 0 ? nx : 0)]! + 2 * smoothX[c]! + smoothX[c + (j < ny - 1 ? nx : 0)]!) / 4;
        // Air outside the body stays exact, which keeps the RLE files small.
        const value = hu > -990 ? hu + noise * smoothingGain * definition.noiseSdHu : hu;
        stored[c] = Math.min(STORED_MAX, Math.max(0, Math.round(value + STORED_OFFSET)));
      }
    }
    slices.push(stored);
  }
  return slices;
}
