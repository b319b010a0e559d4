import type { ScannerSettingName, SimulatorState } from '../../core/simulation/simulatorState';
import { resetScannerInputs } from './scannerInputs';

export interface ScannerPanelElements {
  readonly usGain: HTMLInputElement;
  readonly scannerSettings: HTMLFieldSetElement;
}

/** The scanner's knobs: gain, and depth, frequency, dynamic range, focus and lines — commands to the state; reset to the probe's defaults for each case. */
export function wireScannerPanel(elements: ScannerPanelElements, state: SimulatorState): void {
  elements.usGain.addEventListener('input', () => state.setGainOffset(Number.parseFloat(elements.usGain.value)));
  elements.scannerSettings.addEventListener('change', (event) => {
    const input = event.target as HTMLInputElement;
    state.setScanner(input.name as ScannerSettingName, Number.parseFloat(input.value), { min: Number.parseFloat(input.min), max: Number.parseFloat(input.max) });
  });
  state.events.on('opened', ({ session }) => {
    elements.usGain.value = '0';
    if (session) resetScannerInputs(elements.scannerSettings, session.probeModel);
  });
}
