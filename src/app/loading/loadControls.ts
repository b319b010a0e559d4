import { isWindowPresetName, WINDOW_PRESETS } from '../../core/volume/windowPresets';
import type { AlertBox } from '../ui/alertBox';
import { installDropZone } from '../ui/dropZone';
import type { PlanningInteraction } from '../viewer/planningInteraction';
import { filesFromInput } from './collectFiles';
import type { LoadFlow } from './loadFlow';

/** The page's load controls: the folder and files inputs, the bundled case's Open button, a drop anywhere, and the window presets. */
export function wireLoadControls(
  elements: { inputs: readonly HTMLInputElement[]; caseOpen: HTMLButtonElement; caseSelect: HTMLSelectElement; dropOverlay: HTMLElement; presets: Iterable<HTMLButtonElement> },
  loader: LoadFlow,
  interaction: PlanningInteraction,
  alert: AlertBox,
): void {
  for (const input of elements.inputs) {
    input.addEventListener('change', () => {
      const files = filesFromInput(input);
      input.value = '';
      void loader.load(files);
    });
  }
  elements.caseOpen.addEventListener('click', () => void loader.loadBundled(elements.caseSelect.value));
  for (const button of elements.presets) {
    button.addEventListener('click', () => {
      const name = button.dataset.preset ?? '';
      if (isWindowPresetName(name)) interaction.setWindow(WINDOW_PRESETS[name]);
    });
  }
  installDropZone(
    elements.dropOverlay,
    (files) => void loader.load(files),
    (error) => alert.show([error]),
  );
}
