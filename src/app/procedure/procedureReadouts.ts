import { probeAxesInCt } from '../../core/navigation/probeMotion';
import type { ProcedureRun } from '../../core/rehearsal/procedureRun';
import { inPlaneCue } from '../../core/simulation/inPlaneCue';
import type { Attempt } from '../../core/simulation/attempt';
import type { SimulatorState } from '../../core/simulation/simulatorState';
import type { ProcedureElements } from './procedureElements';
import { setEnabled } from '../ui/setEnabled';

/**
 * The needle readouts of an attempt, each in the frame it says: in fusion guidance what the
 * navigation shows (tracked, through the registration: the same snapshot the fused images and
 * their status line use); in CT-only guidance what the last CT pass showed; in ultrasound-only
 * guidance nothing that would give the target's distance away. The depth is the needle's own
 * markings (the operator reads it off the shaft). The truth is the instructor's (instructorControls).
 */
export function renderReadouts(elements: ProcedureElements, state: SimulatorState, attempt: Attempt): void {
  const run: ProcedureRun = attempt.run;
  const snapshot = state.snapshot;
  const needle = snapshot?.truth.needle;
  const target = run.target;
  if (run.mode === 'fusion') {
    const navigated = snapshot?.navigated;
    const distance = navigated?.tipToTargetMm;
    elements.tipToTarget.textContent = distance === undefined ? '—' : `${distance.toFixed(1)} mm${distance <= target.acceptanceRadiusMm ? ' (on target)' : ''} · navigated`;
    const relation = navigated?.needleToPlane;
    const probe = state.session?.probe();
    elements.inPlane.textContent = relation ? `${relation.angleDeg.toFixed(0)}°, tip ${Math.abs(relation.tipDistanceMm).toFixed(1)} mm · navigated` : '—';
    elements.inPlane.title = relation && navigated?.imageToCt && probe ? inPlaneCue(relation, navigated.imageToCt, probeAxesInCt(probe).elevation) : '';
  } else if (run.mode === 'ct') {
    const pass = attempt.lastCtPass();
    const distance = pass?.needle ? Math.hypot(pass.needle.tip[0] - target.centre[0], pass.needle.tip[1] - target.centre[1], pass.needle.tip[2] - target.centre[2]) : undefined;
    elements.tipToTarget.textContent = distance === undefined ? '—' : `${distance.toFixed(1)} mm at CT pass ${pass!.passes}`;
    elements.inPlane.textContent = '—';
    elements.inPlane.title = '';
  } else {
    elements.tipToTarget.textContent = '—';
    elements.tipToTarget.title = 'Ultrasound-only guidance: judge the tip on the image.';
    elements.inPlane.textContent = '—';
    elements.inPlane.title = '';
  }
  elements.depth.textContent = needle && run.mode !== 'ct' ? `${needle.insertedMm.toFixed(1)} mm (needle markings)` : '—';
  const passes = 1 + run.count('ct-pass');
  const dlp = passes * run.record.settings.dlpPerPassMGyCm;
  elements.ctPasses.textContent = `${passes} (DLP ${dlp} mGy·cm ≈ ${(dlp * run.record.settings.effectiveDosePerDlp).toFixed(1)} mSv)`;
  const canInject = !!needle && needle.insertedMm > 0 && attempt.active;
  setEnabled(elements.inject, canInject, 'Push the needle into the tissue first');
}

/** The in-plane cue line (fusion guidance): which way to turn or slide the probe. */
export function inPlaneCueText(state: SimulatorState): string {
  const navigated = state.snapshot?.navigated;
  const probe = state.session?.probe();
  if (state.mode !== 'fusion' || !navigated?.needleToPlane || !navigated.imageToCt || !probe) return '';
  return inPlaneCue(navigated.needleToPlane, navigated.imageToCt, probeAxesInCt(probe).elevation);
}
