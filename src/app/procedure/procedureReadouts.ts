import { subtract } from '../../core/geometry/vec3';
import type { NavigationSession } from '../../core/navigation/navigationSession';
import { needleToPlane } from '../../core/navigation/needleToPlane';
import type { NeedleState } from '../../core/needle/needleMechanics';
import type { ProcedureRun } from '../../core/rehearsal/procedureRun';
import type { ProcedureElements } from './procedureElements';
import { setEnabled } from '../ui/setEnabled';

/**
 * The needle readouts of an attempt: tip → target, depth in tissue, the needle's angle and offset
 * to the ultrasound plane (as the navigation sees it: tracked, through the registration), CT
 * passes with the estimated dose. CT-only guidance shows nothing of the needle between passes.
 */
export function renderReadouts(elements: ProcedureElements, run: ProcedureRun, state: NeedleState | undefined, session: NavigationSession | undefined): void {
  const target = run.target;
  const distance = state ? Math.hypot(...subtract(state.tip, target.centre)) : undefined;
  const live = run.mode !== 'ct';
  elements.tipToTarget.textContent = distance === undefined || !live ? '—' : `${distance.toFixed(1)} mm${distance <= target.acceptanceRadiusMm ? ' (on target)' : ''}`;
  elements.depth.textContent = state && live ? `${state.insertedMm.toFixed(1)} mm` : '—';
  const now = performance.now();
  const fused = session?.fusedImageToCt(now);
  const fusedNeedle = session?.fusedNeedle(now);
  if (run.mode === 'fusion' && fused?.imageToCt && fusedNeedle) {
    const relation = needleToPlane(fusedNeedle, fused.imageToCt);
    elements.inPlane.textContent = `${relation.angleDeg.toFixed(0)}°, tip ${Math.abs(relation.tipDistanceMm).toFixed(1)} mm`;
  } else elements.inPlane.textContent = '—';
  const passes = 1 + run.count('ct-pass');
  const dlp = passes * run.record.settings.dlpPerPassMGyCm;
  elements.ctPasses.textContent = `${passes} (DLP ${dlp} mGy·cm ≈ ${(dlp * run.record.settings.effectiveDosePerDlp).toFixed(1)} mSv)`;
  setEnabled(elements.inject, !!state && state.insertedMm > 0, 'Push the needle into the tissue first');
}
