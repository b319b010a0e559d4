import type { CaseTarget } from '../../core/cases/caseFile';
import type { Vec3 } from '../../core/geometry/vec3';
import type { PlannedPath } from '../../core/planning/planPath';
import type { CaseFile } from '../../core/cases/caseFile';
import { shapeCentre } from '../../core/cases/shapeCentre';
import type { ProcedureRun } from '../../core/rehearsal/procedureRun';
import { element } from '../ui/element';

/** The checklist: each step done (✓), current (▶, with what to do) or still to come; skipped steps struck through. */
export function renderChecklist(list: HTMLOListElement, run: ProcedureRun): void {
  list.replaceChildren(
    ...run.steps().map(({ step, state }) => {
      const item = element('li', '', `step step-${state}`);
      item.dataset.step = step.id;
      item.dataset.state = state;
      const mark = { done: '✓', current: '▶', pending: '·', skipped: '–' }[state];
      item.append(element('span', mark, 'step-mark'), element('span', step.label, 'step-label'));
      if (state === 'current') item.append(element('div', step.hint(run.mode), 'step-hint'));
      if (state === 'skipped') item.title = `Not used with ${run.mode} guidance`;
      return item;
    }),
  );
}

/**
 * The planned path: target, entry, the line's length and angles, bone on it, the regions the
 * needle will feel, and every structure to avoid it passes near (nearest first, click to look).
 */
export function renderPlan(box: HTMLElement, target: CaseTarget, plan: PlannedPath, caseFile: CaseFile, look: (point: Vec3) => void, showStructure?: (id: string) => void): void {
  const entry = plan.entry;
  const point = (p: Vec3) => p.map((v) => v.toFixed(1)).join(', ');
  const parts: HTMLElement[] = [element('h3', 'Planned path')];
  const facts = element('dl', '', 'plan-facts');
  const fact = (label: string, value: string, testId?: string) => {
    const dd = element('dd', value);
    if (testId) dd.dataset.testid = testId;
    facts.append(element('dt', label), dd);
  };
  fact('Target', `${target.name} (LPS ${point(target.centre)})`);
  fact('Entry', `LPS ${point(entry)}`);
  fact('Length', `${plan.lengthMm.toFixed(1)} mm`, 'plan-length');
  fact('Angles', `${plan.fromSagittalDeg.toFixed(0)}° from sagittal, ${plan.fromAxialDeg.toFixed(0)}° from axial`);
  fact('Bone on the line', plan.firstBoneDepthMm === undefined ? 'none' : `at ${plan.firstBoneDepthMm.toFixed(0)} mm: the needle would stop`);
  if (plan.regions.length) fact('You will feel', plan.regions.map((r) => `${r.name} at ${r.depthMm.toFixed(0)} mm`).join('; '));
  parts.push(facts);
  const near = element('ul', '', 'plan-near');
  near.dataset.testid = 'plan-near';
  for (const s of plan.structures) {
    const item = element(
      'li',
      `${s.name}: ${s.closestMm < 0 ? 'CROSSED' : `${s.closestMm.toFixed(1)} mm`} at ${s.depthMm.toFixed(0)} mm depth`,
      s.closestMm < 3 ? 'plan-danger' : undefined,
    );
    item.tabIndex = 0;
    item.title = 'Show in the planning views';
    const structure = caseFile.avoid.find((a) => a.id === s.id);
    // The structure is drawn (outlined) in the planning views and centred, not just looked at.
    item.addEventListener('click', () => structure && (showStructure ? showStructure(structure.id) : look(shapeCentre(structure.shape))));
    near.append(item);
  }
  if (plan.structures.length === 0) near.append(element('li', 'No structure to avoid within 10 mm of the line.'));
  parts.push(element('h4', 'Structures near the line'), near);
  box.replaceChildren(...parts);
}
