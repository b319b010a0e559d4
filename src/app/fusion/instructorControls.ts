import type { NavigationSession } from '../../core/navigation/navigationSession';
import type { FusionElements } from './fusionElements';

type NumericSetting = 'jitterMm' | 'staticErrorMm' | 'staticErrorDeg' | 'updateRateHz' | 'latencyMs' | 'dropoutProbability';

/**
 * The instructor's controls of the simulated room: move the patient, use the reference sensor or
 * not, put metal near the probe, and the tracker's error settings. Each change goes to the open
 * session, then `changed` repaints.
 */
export function wireInstructorControls(elements: FusionElements, session: () => NavigationSession | undefined, changed: () => void, alert: (message: string) => void): void {
  elements.movePatientButton.addEventListener('click', () => {
    const open = session();
    if (!open) return;
    open.movePatient([15, -8, 5], 4, performance.now());
    changed();
  });
  elements.referenceSensor.addEventListener('change', () => {
    session()?.setReferenceSensorUsed(elements.referenceSensor.checked, performance.now());
    changed();
  });
  elements.metalToggle.addEventListener('change', () => {
    const open = session();
    if (!open) return;
    const settings = open.tracker.current();
    // The metal sits 20 mm from the probe's working area: its error dominates near it.
    open.tracker.configure({ ...settings, metal: { ...settings.metal, enabled: elements.metalToggle.checked, positionInTracker: open.probeInTracker() ?? settings.metal.positionInTracker } });
    changed();
  });
  elements.trackerSettings.addEventListener('change', (event) => {
    const input = event.target as HTMLInputElement;
    const value = Number.parseFloat(input.value);
    const open = session();
    if (!open || !Number.isFinite(value) || value < 0) return alert(`${input.name}: enter a number of at least 0.`);
    open.tracker.configure({ ...open.tracker.current(), [input.name as NumericSetting]: value });
    changed();
  });
}

/** A new session: the reference sensor on, no metal, the tracker's settings as the session's. */
export function resetInstructorControls(elements: FusionElements, session: NavigationSession): void {
  elements.referenceSensor.checked = true;
  elements.metalToggle.checked = false;
  const settings = session.tracker.current();
  for (const input of elements.trackerSettings.querySelectorAll('input')) input.value = String(settings[input.name as NumericSetting]);
}
