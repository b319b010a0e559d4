import type { Vec3 } from '../geometry/vec3';
import { MARKER_BEAD_DIAMETER_MM, MARKER_BEADS_IN_MARKER } from '../phantom/fiducialMarker';
import type { BrightBlob } from '../registration/findBrightBlobs';
import { matchMarkerBeads } from '../registration/matchMarkerBeads';
import type { Fiducials } from './caseFile';

/**
 * Fiducials found on the CT itself, for case authoring: radiopaque beads are the bright blobs
 * findBrightBlobs returns (Ct, LPS mm, HU-weighted centroids).
 */

/**
 * The blob an instructor meant when putting the crosshair near a skin marker: the nearest blob
 * centre within `snapMm` (a marker's beads are ≥ 15 mm apart, so the nearest is the one aimed
 * at), or undefined when none is that close.
 */
export function snapToBrightBlob(pointInCt: Vec3, blobs: readonly BrightBlob[], snapMm = 8): BrightBlob | undefined {
  let best: { blob: BrightBlob; distanceMm: number } | undefined;
  for (const blob of blobs) {
    const c = blob.centreInCt;
    const distanceMm = Math.hypot(c[0] - pointInCt[0], c[1] - pointInCt[1], c[2] - pointInCt[2]);
    if (distanceMm <= snapMm && (!best || distanceMm < best.distanceMm)) best = { blob, distanceMm };
  }
  return best?.blob;
}

export type DetectedMarker = { readonly marker: NonNullable<Fiducials['marker']>; readonly freMm: number } | { readonly reason: string };

/**
 * The simulator's external marker (a block with beads at known places, the one the tracked
 * reference carries) found among the blobs by its bead distances, listed in the order of its
 * geometry. `freMm` is the RMS misfit of the found beads to that geometry.
 */
export function detectExternalMarker(
  blobs: readonly BrightBlob[],
  beadsInMarker: readonly Vec3[] = MARKER_BEADS_IN_MARKER,
  beadDiameterMm = MARKER_BEAD_DIAMETER_MM,
): DetectedMarker {
  const match = matchMarkerBeads(
    beadsInMarker,
    blobs.map((b) => b.centreInCt),
  );
  if ('reason' in match) return { reason: `no external marker found: ${match.reason}` };
  if (!match.outcome.ok) return { reason: `the beads found do not make a usable marker: ${match.outcome.reason}` };
  return {
    marker: { name: `External fiducial marker (${beadsInMarker.length} beads)`, beadDiameterMm, beadsInMarker: [...beadsInMarker], beadsInCt: match.matchedCt },
    freMm: match.outcome.freMm,
  };
}
