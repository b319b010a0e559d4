import type { SimulatorState } from '../../core/simulation/simulatorState';
import { ManualRegistrationPanel, type ManualRegistrationElements } from './manualRegistrationPanel';
import type { Vec3 } from '../../core/geometry/vec3';
import { setText, throttled } from '../ui/throttled';

export interface RegistrationPanelElements {
  readonly registerButton: HTMLButtonElement;
  readonly probeButton: HTMLButtonElement;
  readonly needleButton: HTMLButtonElement;
  readonly fre: HTMLElement;
  readonly tre: HTMLElement;
  /** The registration's actual error now (true frame): the instructor's readout. */
  readonly trueTre: HTMLElement;
  readonly manual: ManualRegistrationElements;
}

const mm = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(2)} mm`);

/**
 * The registration controls and readouts: automatic with the marker, the manual point pairs,
 * FRE and predicted TRE (what the navigation system reports), and the true TRE now (what the
 * simulator knows: it follows the patient's motion when the reference sensor is off).
 */
export class RegistrationPanel {
  private readonly manual: ManualRegistrationPanel;

  constructor(elements: RegistrationPanelElements, state: SimulatorState, crosshair: { get(): Vec3; set(p: Vec3): void }) {
    this.manual = new ManualRegistrationPanel(elements.manual, state, crosshair);
    elements.registerButton.addEventListener('click', () => state.registerWithMarker());
    elements.probeButton.addEventListener('click', () => state.placeProbeOverTarget());
    elements.needleButton.addEventListener('click', () => state.placeNeedleAtSuggestedEntry());
    state.events.on('registration', ({ summary }) => {
      elements.fre.textContent = mm(summary?.freMm);
      elements.tre.textContent = mm(summary?.predictedTreMm);
      elements.trueTre.textContent = mm(state.snapshot?.truth.treMm ?? summary?.trueTreMm);
      if (!summary) this.manual.clearResults();
      this.manual.render();
    });
    state.events.on(
      'navigation',
      throttled(() => setText(elements.trueTre, mm(state.snapshot?.truth.treMm)), 250),
    );
    state.events.on('pairs', () => this.manual.render());
    // The truth is the instructor's: the trainee does not see it during an attempt (the report shows it).
    state.events.on('attempt', () => {
      const hidden = state.attempt?.active === true;
      for (const element of [elements.trueTre, elements.trueTre.previousElementSibling]) if (element instanceof HTMLElement) element.hidden = hidden;
    });
    state.events.on('opened', ({ session, reason }) => {
      this.manual.clearResults();
      this.manual.render();
      for (const button of [elements.registerButton, elements.probeButton, elements.needleButton]) {
        button.disabled = !session;
        button.title = session ? '' : `${reason ?? 'No case'}.`;
      }
    });
  }
}
