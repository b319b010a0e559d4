import type { CaseFile, CaseTarget } from '../cases/caseFile';
import { normalize, subtract, type Vec3 } from '../geometry/vec3';
import type { CtVolume } from '../volume/ctVolume';
import { skinEntryAlong } from './skinEntryAlong';

/**
 * The entry a plan starts from for a case target: the case's suggested entry for its primary
 * target; for another target (a facet joint, the hip's anterolateral variant) the skin point on the
 * same side, along the suggested approach's direction from that target. Undefined when the case
 * suggests no entry.
 */
export function entryForTarget(volume: CtVolume, caseFile: CaseFile, target: CaseTarget): Vec3 | undefined {
  const suggested = caseFile.procedure.suggestedEntry;
  if (!suggested) return undefined;
  const primary = caseFile.targets.find((t) => t.priority === 'primary');
  if (!primary || primary.id === target.id) return suggested;
  const found = skinEntryAlong(volume, target.centre, normalize(subtract(suggested, primary.centre)));
  return found.ok ? found.entry : suggested;
}
