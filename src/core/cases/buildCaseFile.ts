import type { CaseDraft } from './caseDraft';
import { validateCaseFile, type CaseValidation } from './validateCaseFile';

/**
 * The case.json a draft makes, checked as the simulator will check it when the file is given
 * with its series: text fields trimmed, then a JSON round trip (what is saved is exactly what is
 * validated: a NaN from an emptied number field becomes null and is named), then
 * validateCaseFile, then what an authored case needs beyond the schema: a primary target to
 * score, unique ids, an id without spaces, and no tube left half drawn.
 */
export function buildCaseFile(draft: CaseDraft): CaseValidation {
  const c = draft.caseFile;
  const p = c.procedure;
  const trimmed = {
    ...c,
    id: c.id.trim(),
    title: c.title.trim(),
    description: c.description.trim(),
    series: { ...c.series, patientPosition: c.series.patientPosition.trim().toUpperCase() },
    procedure: { ...p, name: p.name.trim(), approach: p.approach.trim(), needle: { ...p.needle, type: p.needle.type.trim() } },
  };
  const json: unknown = JSON.parse(JSON.stringify(trimmed));
  const validation = validateCaseFile(json);
  const errors = validation.ok ? [] : [...validation.errors];

  if (trimmed.id !== '' && /\s/.test(trimmed.id)) errors.push(`id: use a short name without spaces (e.g. "${trimmed.id.replace(/\s+/g, '-').toLowerCase()}")`);
  if (!c.targets.some((t) => t.priority === 'primary')) {
    errors.push('targets: add at least one primary target (put the crosshair on it, then "Add target at crosshair"): the rehearsal scores the primary targets');
  }
  for (const [list, ids] of [
    ['targets', c.targets.map((t) => t.id)],
    ['avoid', c.avoid.map((a) => a.id)],
    ['fiducials.skinMarkers', c.fiducials.skinMarkers.map((m) => m.id)],
  ] as const) {
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (repeated.length > 0) errors.push(`${list}: the id "${repeated[0]}" is used twice; rename one of them`);
  }
  if (draft.tubePoints.length > 0) {
    errors.push(`avoid: a tube is being drawn (${draft.tubePoints.length} point${draft.tubePoints.length === 1 ? '' : 's'}): finish it or cancel it first`);
  }
  return errors.length === 0 && validation.ok ? validation : { ok: false, errors };
}
