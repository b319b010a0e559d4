import type { AcousticRegionSpec } from '../ultrasound/acousticRegions';
import type { CaseFile } from './caseFile';

/**
 * The case's regions whose ultrasound appearance is not read from the HU, for the synthesis:
 * first its tissues (fibre textures, cartilage; in the case file's order, so a later one applies
 * where two overlap), then the structures with an `acoustic` override (vessel lumens), which
 * come last so a vessel running through a muscle keeps its anechoic lumen.
 */
export function caseAcousticRegions(caseFile: CaseFile): AcousticRegionSpec[] {
  const tissues = (caseFile.tissues ?? []).map((tissue): AcousticRegionSpec => ({
    medium: tissue.medium,
    shape: tissue.shape,
    ...(tissue.fibreAxis ? { fibreAxis: tissue.fibreAxis } : {}),
  }));
  const overrides = caseFile.avoid.flatMap((structure) => (structure.acoustic ? [{ ...structure.acoustic, shape: structure.shape }] : []));
  return [...tissues, ...overrides];
}
