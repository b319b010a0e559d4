import type { Vec3 } from '../geometry/vec3';
import { registerPointPairs, type RegistrationOutcome } from './pairedPointRegistration';

/**
 * Automatic registration with the external marker: the beads found in the CT are matched to
 * the marker's known bead geometry (in the Reference frame) without a given order, using the
 * distances between beads (a rigid motion keeps them), then registered. Extra blobs (skin
 * markers, other metal) are ignored when they do not fit the geometry.
 */
export function matchMarkerBeads(
  beadsInReference: readonly Vec3[],
  candidatesInCt: readonly Vec3[],
  toleranceMm = 2,
): { outcome: RegistrationOutcome<'Reference', 'Ct'>; matchedCt: Vec3[] } | { reason: string } {
  const n = beadsInReference.length;
  if (candidatesInCt.length < n) {
    return { reason: `found ${candidatesInCt.length} bright blobs in the CT but the marker has ${n} beads: is the marker inside the scanned range?` };
  }
  const d = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
  const model = beadsInReference.map((a) => beadsInReference.map((b) => d(a, b)));
  const data = candidatesInCt.map((a) => candidatesInCt.map((b) => d(a, b)));
  let best: { order: number[]; fre: number } | undefined;
  const order: number[] = [];
  const used = new Set<number>();
  // Depth-first over assignments, pruned by every pairwise distance so far.
  const search = () => {
    const k = order.length;
    if (k === n) {
      const outcome = registerPointPairs(
        'Reference',
        'Ct',
        beadsInReference,
        order.map((i) => candidatesInCt[i]!),
      );
      if (outcome.ok && (!best || outcome.freMm < best.fre)) best = { order: [...order], fre: outcome.freMm };
      return;
    }
    for (let c = 0; c < candidatesInCt.length; c++) {
      if (used.has(c)) continue;
      if (order.some((prev, m) => Math.abs(data[prev]![c]! - model[m]![k]!) > toleranceMm)) continue;
      order.push(c);
      used.add(c);
      search();
      order.pop();
      used.delete(c);
    }
  };
  search();
  if (!best) return { reason: `no ${n} blobs in the CT match the marker's bead geometry within ${toleranceMm} mm: check the marker model, or register manually` };
  const matchedCt = best.order.map((i) => candidatesInCt[i]!);
  return { outcome: registerPointPairs('Reference', 'Ct', beadsInReference, matchedCt), matchedCt };
}
