import type { ProbeModel } from '../../core/tracking/probeModels';
import { defaultUltrasoundSettings } from '../../core/ultrasound/synthesizeUltrasound';
import type { UltrasoundSettings } from '../../core/ultrasound/ultrasoundSettings';

/**
 * The scanner controls for a newly chosen probe: its default settings, and depth and focus limited
 * to what its image can show (5 cm for the linear probe, 15 cm for the curvilinear).
 */
export function resetScannerInputs(fieldset: HTMLFieldSetElement, model: ProbeModel): void {
  const defaults = defaultUltrasoundSettings(model);
  const deepestMm = String(Math.floor(model.rows * model.mmPerPixel));
  for (const input of fieldset.querySelectorAll('input')) {
    input.value = String(defaults[input.name as keyof UltrasoundSettings]);
    if (input.name === 'depthMm' || input.name === 'focusDepthMm') input.max = deepestMm;
  }
}
