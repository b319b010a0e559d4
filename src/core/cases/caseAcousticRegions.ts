import type { AcousticRegionSpec } from '../ultrasound/acousticRegions';
import type { CaseFile } from './caseFile';

/** The case's structures whose ultrasound appearance overrides their HU (vessel lumens), for the synthesis. */
export function caseAcousticRegions(caseFile: CaseFile): AcousticRegionSpec[] {
  return caseFile.avoid.flatMap((structure) => (structure.acoustic ? [{ ...structure.acoustic, shape: structure.shape }] : []));
}
