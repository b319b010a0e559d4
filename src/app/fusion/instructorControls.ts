import type { SimulatorState } from '../../core/simulation/simulatorState';
import type { TrackerSettings } from '../../core/tracking/trackerSettings';
import { setText, throttled } from '../ui/throttled';

type NumericSetting = 'jitterMm' | 'staticErrorMm' | 'staticErrorDeg' | 'updateRateHz' | 'latencyMs' | 'dropoutProbability';

export interface InstructorElements {
  readonly movePatientButton: HTMLButtonElement;
  readonly referenceSensor: HTMLInputElement;
  readonly metalToggle: HTMLInputElement;
  readonly trackerSettings: HTMLFieldSetElement;
}

/**
 * The instructor's controls of the simulated room: move the patient, use the reference sensor or
 * not, put metal near the probe, and the tracker's error settings — commands to the state — and,
 * inside the tracker fieldset, the truth the trainee does not see (true tip to target, the needle's
 * true relation to the image plane, the registration's actual error now).
 */
export function wireInstructorControls(elements: InstructorElements, state: SimulatorState): void {
  elements.movePatientButton.addEventListener('click', () => state.movePatient());
  elements.referenceSensor.addEventListener('change', () => state.setReferenceSensorUsed(elements.referenceSensor.checked));
  elements.metalToggle.addEventListener('change', () => state.setMetal(elements.metalToggle.checked));
  elements.trackerSettings.addEventListener('change', (event) => {
    const input = event.target as HTMLInputElement;
    if (!input.name) return;
    state.configureTracker({ [input.name as NumericSetting]: Number.parseFloat(input.value) });
  });
  const truth = document.createElement('p');
  truth.className = 'truth-readout';
  truth.setAttribute('data-testid', 'instructor-truth');
  elements.trackerSettings.append(truth);
  state.events.on(
    'navigation',
    throttled(() => {
      const snapshot = state.snapshot;
      if (!snapshot) return;
      const t = snapshot.truth;
      const parts = [
        t.tipToTargetMm !== undefined ? `tip → target ${t.tipToTargetMm.toFixed(1)} mm` : undefined,
        t.needleToPlane ? `needle ${t.needleToPlane.angleDeg.toFixed(0)}° to the plane, tip ${Math.abs(t.needleToPlane.tipDistanceMm).toFixed(1)} mm` : undefined,
        t.treMm !== undefined ? `TRE now ${t.treMm.toFixed(2)} mm` : undefined,
      ].filter(Boolean);
      setText(truth, parts.length ? `True (instructor only): ${parts.join(' · ')}` : '');
    }, 250),
  );
  state.events.on('opened', ({ session }) => {
    elements.referenceSensor.checked = true;
    elements.metalToggle.checked = false;
    truth.textContent = '';
    if (session) showSettings(elements, session.tracker.current());
  });
}

function showSettings(elements: InstructorElements, settings: TrackerSettings): void {
  for (const input of elements.trackerSettings.querySelectorAll('input')) if (input.name in settings) input.value = String(settings[input.name as NumericSetting]);
}
