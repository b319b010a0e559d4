import type { Vec3 } from '../geometry/vec3';
import type { AcousticRegion } from './acousticRegions';

/** A region met by the current scan line: its sample range, where to look next, its per-sample loss. */
export interface ActiveRegion {
  readonly region: AcousticRegion;
  readonly from: number;
  readonly to: number;
  next: number;
  readonly loss: number;
  /** A tissue region (texture only), labelled on a coarse grid by tissueLabels. */
  readonly tissue: boolean;
}

export const TISSUE_MEDIA: ReadonlySet<string> = new Set(['muscle', 'tendon', 'capsule', 'cartilage']);
/** Spacing of the tissue labels along a line, mm. */
export const TISSUE_LABEL_STEP_MM = 1;

/**
 * The tissue region holding each coarse point (every `stride` samples) of a line: the last listed
 * region whose shape contains it (case files list the more specific last), with the same skipping
 * ahead by the signed distance as the exact regions. Tissue regions (texture only: muscle,
 * tendon, capsule, cartilage) are approximate covers inside which the HU decides, so a label at
 * TISSUE_LABEL_STEP_MM is enough (exact per sample it cost more than the rest of the frame).
 */
export function tissueLabels(active: readonly ActiveRegion[], origin: Vec3, step: Vec3, samples: number, stride: number, out: (ActiveRegion | undefined)[]): void {
  out.fill(undefined);
  const stepLength = Math.hypot(step[0], step[1], step[2]);
  for (const entry of active) {
    if (!entry.tissue) continue;
    let next = entry.from;
    for (let c = Math.ceil(entry.from / stride); c * stride <= Math.min(entry.to, samples - 1); c++) {
      const s = c * stride;
      if (s < next) continue;
      const distance = entry.region.shape.distance([origin[0] + step[0] * s, origin[1] + step[1] * s, origin[2] + step[2] * s]);
      if (distance < 0) out[c] = entry;
      else next = s + Math.floor(distance / stepLength);
    }
  }
}
