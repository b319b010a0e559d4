import type { CaseFile } from '../cases/caseFile';
import type { SessionRecord } from '../rehearsal/sessionRecord';
import type { Metric } from './metric';
import { closestApproachByStructure } from './structureDistances';

/** Ids of the structures to avoid that the inserted shaft entered at any sample, in case-file order. */
export function breachedStructureIds(record: SessionRecord, caseFile: CaseFile): string[] {
  return [...closestApproachByStructure(record, caseFile)].filter(([, distanceMm]) => distanceMm < 0).map(([id]) => id);
}

/**
 * Complications: the structures to avoid (nerve roots, dural sac, vessels, bowel) that the
 * inserted part of the needle (skin entry → tip) entered, from the recorded samples.
 */
export const structuresBreached: Metric = {
  id: 'structuresBreached',
  name: 'Structures breached',
  unit: 'ids',
  definition: 'Structures to avoid that the inserted shaft (skin entry → tip) entered at any sample.',
  compute: (record, { caseFile }) => breachedStructureIds(record, caseFile),
};
