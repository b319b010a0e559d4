import type { CaseFile } from '../cases/caseFile';
import { shaftToStructures } from '../needle/shaftToStructures';
import type { SessionRecord, TrackingSample } from '../rehearsal/sessionRecord';
import { insertedShaftOf } from './insertedShaft';
import { isInTissue } from './sessionQueries';
import { shaftLowerBound } from './shaftLowerBound';

/** Closest approaches are followed within this distance, mm; a structure never this close is "far" (absent from the map). */
export const CLOSEST_APPROACH_RANGE_MM = 15;

/**
 * The closest approach of the inserted needle to each structure to avoid over a session: for
 * every sample with the tip in tissue, the signed distance (mm, negative = inside) from the
 * inserted shaft (skin entry → tip) to each structure, as shaftToStructures measures it (the
 * shaft tested every 0.5 mm, the same test the recorder's live warnings and breaches use),
 * minimised over the samples. Shared by breaches, breach count, closest approach and near
 * misses, and cached per (record, case) because it is the one costly pass over the samples.
 *
 * The map lists, in case-file order, the structures that came within 15 mm; farther ones are
 * absent. To stay fast on a 10-minute session (12 000 samples) a structure is re-measured only
 * when an exact analytic lower bound of its distance (segment to capsule) says the minimum or the
 * range could be reached: the result is the same as measuring every structure at every sample.
 *
 * Samples are what the recorder wrote (at most one per 50 ms while something moves): a needle
 * passing right through a structure between two samples would be missed, which at hand speeds
 * (< 50 mm/s, so < 2.5 mm between samples) only happens for structures thinner than that.
 */
export function closestApproachByStructure(record: SessionRecord, caseFile: CaseFile): ReadonlyMap<string, number> {
  let byCase = cache.get(record);
  if (!byCase) cache.set(record, (byCase = new WeakMap()));
  const cached = byCase.get(caseFile);
  // A record that grew (a live attempt) since it was measured is measured again.
  const samples = record.samples;
  if (cached && cached.samples === samples.length && cached.last === samples[samples.length - 1]) return cached.result;
  const result = compute(record, caseFile);
  byCase.set(caseFile, { samples: samples.length, last: samples[samples.length - 1], result });
  return result;
}

const cache = new WeakMap<SessionRecord, WeakMap<CaseFile, { samples: number; last: TrackingSample | undefined; result: ReadonlyMap<string, number> }>>();

function compute(record: SessionRecord, caseFile: CaseFile): ReadonlyMap<string, number> {
  const state = newClosestApproachState();
  for (const sample of record.samples) closestApproachStep(state, sample, caseFile);
  return closestApproachOf(state, caseFile);
}

/** The closest approach followed sample by sample (the batch above and the metrics stream share it). */
export interface ClosestApproachState {
  readonly closest: Map<string, number>;
  /** The last in-tissue sample measured. */
  previous: TrackingSample | undefined;
}

export const newClosestApproachState = (): ClosestApproachState => ({ closest: new Map(), previous: undefined });

export const copyClosestApproachState = (state: ClosestApproachState): ClosestApproachState => ({ closest: new Map(state.closest), previous: state.previous });

/** Takes the next sample (in time order) into the closest approaches. */
export function closestApproachStep(state: ClosestApproachState, sample: TrackingSample, caseFile: CaseFile): void {
  if (!isInTissue(sample)) return;
  const { closest, previous } = state;
  // Samples are also written when only the probe moved: skip a needle that stood still.
  if (previous && sameNeedle(previous, sample)) return;
  state.previous = sample;
  const { entry, tip } = insertedShaftOf(sample.needle, sample.insertedMm);
  const worthMeasuring = caseFile.avoid.filter((structure) => {
    const bound = shaftLowerBound(structure.shape, entry, tip);
    return bound === undefined || bound < Math.min(closest.get(structure.id) ?? Infinity, CLOSEST_APPROACH_RANGE_MM);
  });
  if (worthMeasuring.length === 0) return;
  for (const { structure, distanceMm } of shaftToStructures(entry, tip, worthMeasuring, CLOSEST_APPROACH_RANGE_MM)) {
    if (distanceMm < (closest.get(structure.id) ?? Infinity)) closest.set(structure.id, distanceMm);
  }
}

/** The closest approaches so far, in case-file order, whatever order the structures came close in. */
export const closestApproachOf = (state: ClosestApproachState, caseFile: CaseFile): ReadonlyMap<string, number> =>
  new Map(caseFile.avoid.filter((s) => state.closest.has(s.id)).map((s) => [s.id, state.closest.get(s.id)!]));

function sameNeedle(a: TrackingSample, b: TrackingSample): boolean {
  if (!a.needle || !b.needle || a.insertedMm !== b.insertedMm) return false;
  return [0, 1, 2].every((i) => a.needle!.tip[i] === b.needle!.tip[i] && a.needle!.hub[i] === b.needle!.hub[i]);
}
