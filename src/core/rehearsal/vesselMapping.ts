import type { CaseFile } from '../cases/caseFile';
import { caseDopplerVessels } from '../ultrasound/colorDopplerFlow';

/**
 * The vessels a technique maps with colour Doppler before the needle goes in: the hip injection
 * starts by finding the femoral neurovascular bundle (../shared/design/anatomy-and-procedures.md),
 * so a case whose vessels with flow (blood-filled tubes among the structures to avoid) include
 * femoral ones must map those; other cases map none and skip the step. Ids, in the case's order.
 */
export function vesselsToMap(caseFile: CaseFile): string[] {
  return caseDopplerVessels(caseFile)
    .filter((v) => /femoral/i.test(v.id) || /femoral/i.test(v.name))
    .map((v) => v.id);
}
