import type { CaseFile } from '../cases/caseFile';
import { transformOf, type Transform } from '../frames/transform';
import { addScaled, normalize, subtract } from '../geometry/vec3';
import { RigidNeedle } from '../needle/needleMechanics';
import type { CtVolume } from '../volume/ctVolume';
import type { SessionRecord } from './sessionRecord';

/** The probe's last recorded pose in an attempt (undefined before the probe touched the patient). */
export function lastProbePose(record: Pick<SessionRecord, 'samples'>): Transform<'Probe', 'Ct'> | undefined {
  const probe = findLast(record.samples, (sample) => sample.probeToCt !== undefined)?.probeToCt;
  return probe ? transformOf('Probe', 'Ct', probe) : undefined;
}

/**
 * The needle of a saved attempt, back where it was: it goes in the way it went — aimed from just
 * outside the skin along its last direction and pushed to its recorded depth — so it meets the
 * same tissue, the same stops and the same feedback regions. Undefined before it was picked up.
 */
export function resumedNeedle(volume: CtVolume, caseFile: CaseFile, record: SessionRecord): RigidNeedle | undefined {
  const last = findLast(record.samples, (s) => s.needle !== undefined);
  return last ? needleFromSample(volume, caseFile, record.settings.needle, last) : undefined;
}

/** The needle as one recorded sample had it (replay, resume), put back the way it went in. */
export function needleFromSample(volume: CtVolume, caseFile: CaseFile, spec: SessionRecord['settings']['needle'], last: SessionRecord['samples'][number]): RigidNeedle | undefined {
  if (!last.needle) return undefined;
  const direction = normalize(subtract(last.needle.tip, last.needle.hub));
  const start = last.insertedMm > 0 ? addScaled(last.needle.tip, direction, -(last.insertedMm + 2)) : last.needle.tip;
  const needle = new RigidNeedle(volume, spec, { tip: start, direction }, caseFile.feedbackRegions ?? []);
  if (last.insertedMm > 0) needle.advance(last.insertedMm + 2);
  return needle;
}

/** The last sample that passes (from the end, without copying the samples). */
function findLast<T>(items: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return items[i];
  return undefined;
}
