import { MIN_DEPTH_MM, type ProbeModel } from '../../core/tracking/probeModels';
import { defaultUltrasoundSettings } from '../../core/ultrasound/synthesizeUltrasound';
import type { UltrasoundSettings } from '../../core/ultrasound/ultrasoundSettings';

/**
 * The scanner controls for a newly chosen probe: its default settings, and depth and focus limited
 * to what the probe offers (8 cm for the linear probe, 24 cm for the curvilinear: the image is
 * re-gridded for the depth, see probeAtDepth).
 */
export function resetScannerInputs(fieldset: HTMLFieldSetElement, model: ProbeModel): void {
  const defaults = defaultUltrasoundSettings(model);
  const deepestMm = String(model.maxDepthMm);
  for (const input of fieldset.querySelectorAll('input')) {
    input.value = String(defaults[input.name as keyof UltrasoundSettings]);
    if (input.name === 'depthMm') input.min = String(MIN_DEPTH_MM);
    if (input.name === 'depthMm' || input.name === 'focusDepthMm') input.max = deepestMm;
  }
}
