import type { GuidanceMode, ProcedureStepId, SessionRecord } from './sessionRecord';

/**
 * The guided procedure's checklist (../shared/design/anatomy-and-procedures.md): choose the case →
 * review the CT and plan the path → register → (hip: map the femoral vessels with colour Doppler) → scan to find the target region → insert the needle
 * in plane → confirm → inject → final CT → report. A step is done when the record holds its
 * 'step-done' event; the first step not done is the current one.
 */
export interface ProcedureStep {
  readonly id: ProcedureStepId;
  readonly label: string;
  /** What the trainee does to complete it, per guidance mode. */
  hint(mode: GuidanceMode): string;
  /** Steps a mode does not use (CT-only guidance needs no registration and no scanning). */
  skippedIn?: readonly GuidanceMode[];
  /** A step only some techniques have: skipped unless the case needs it (vessel mapping: a case with vessels to map, see vesselMapping.ts). */
  onlyWhen?: 'vessel-mapping';
}

/** What a case's technique adds to the checklist. */
export type CaseNeeds = ReadonlySet<NonNullable<ProcedureStep['onlyWhen']>>;

export const PROCEDURE_STEPS: readonly ProcedureStep[] = [
  { id: 'case', label: 'Choose the case', hint: () => 'Open a case and start the attempt.' },
  { id: 'plan', label: 'Review the CT and plan the path', hint: () => 'Check the target, the entry and the structures the planned line passes near, then mark the plan reviewed.' },
  { id: 'register', label: 'Register', hint: () => 'Register the CT to the tracker (the external marker, point pairs, or plane + point).', skippedIn: ['ct', 'ultrasound'] },
  {
    id: 'doppler',
    label: 'Map the femoral vessels with colour Doppler',
    hint: () => 'Turn on colour Doppler (C) and put the colour box over the femoral artery and vein (Shift+arrows or drag the box; tilt the probe for an angle to the flow).',
    skippedIn: ['ct'],
    onlyWhen: 'vessel-mapping',
  },
  {
    id: 'scan',
    label: 'Scan to find the target region',
    hint: (m) => (m === 'fusion' ? 'Move the probe until the target lies in the image plane (the fused CT shows it).' : 'Move the probe until the image shows the target region.'),
    skippedIn: ['ct'],
  },
  {
    id: 'insert',
    label: 'Insert the needle in plane',
    hint: (m) =>
      m === 'ct'
        ? 'Puncture the skin at the entry and advance toward the target (blind between CT passes).'
        : 'Puncture at the entry and advance with the shaft in the image plane.',
  },
  {
    id: 'confirm',
    label: 'Confirm the tip position',
    hint: (m) => (m === 'ct' ? 'Acquire a CT pass and check the tip on it.' : 'Check the tip on the fused view (and the resistance you felt), then confirm.'),
  },
  { id: 'inject', label: 'Inject', hint: () => 'Inject at the tip.' },
  { id: 'final-ct', label: 'Final CT', hint: () => 'Acquire the final CT: needle position and injectate spread.' },
  { id: 'report', label: 'Report', hint: () => 'Finish the attempt and read the report.' },
];

export type StepState = 'done' | 'current' | 'pending' | 'skipped';

export function stepStates(record: Pick<SessionRecord, 'events' | 'mode'>, needs: CaseNeeds = new Set()): { step: ProcedureStep; state: StepState }[] {
  const done = new Set(record.events.flatMap((e) => (e.kind === 'step-done' ? [e.step] : [])));
  let currentFound = false;
  return PROCEDURE_STEPS.map((step) => {
    if (step.skippedIn?.includes(record.mode) || (step.onlyWhen && !needs.has(step.onlyWhen))) return { step, state: 'skipped' as const };
    if (done.has(step.id)) return { step, state: 'done' as const };
    if (!currentFound) {
      currentFound = true;
      return { step, state: 'current' as const };
    }
    return { step, state: 'pending' as const };
  });
}
