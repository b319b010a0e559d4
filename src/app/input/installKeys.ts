import type { SimulatorState } from '../../core/simulation/simulatorState';
import { bindingFor, KEY_BINDINGS } from './keyMap';

/** What the keys drive besides the state: colour Doppler (a view concern: its box lives on the ultrasound canvas). */
export interface KeyTargets {
  readonly state: SimulatorState;
  /** Colour Doppler's keys (toggle, and the box while on); true when taken. */
  doppler(key: string, shift: boolean): boolean;
}

const isTextField = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'range', 'submit'].includes(target.type)));

/**
 * Keys reach the probe and the needle wherever the focus is (a trainee clicks a button and keeps
 * scanning), except in text fields, where they type. One listener on the document, one key map.
 */
export function installKeys(root: Document, targets: KeyTargets): void {
  root.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || isTextField(event.target)) return;
    if (targets.doppler(event.key, event.shiftKey)) return event.preventDefault();
    const binding = bindingFor(event.key);
    if (!binding) return;
    const command = binding.command(event.shiftKey);
    const state = targets.state;
    if (command.kind === 'probe') {
      if (!state.session?.probe()) return;
      state.moveProbe(command.move);
    } else if (command.kind === 'needle') {
      if (!state.session?.needleState()) return;
      state.steerNeedle(command.command);
    } else return;
    event.preventDefault();
  });
}

/** The Controls help from the key map: every key and what it does. */
export function renderKeyHelp(list: HTMLElement): void {
  list.replaceChildren(
    ...KEY_BINDINGS.map((binding) => {
      const item = document.createElement('li');
      const keys = document.createElement('span');
      keys.className = 'keys';
      for (const key of binding.keys) keys.append(Object.assign(document.createElement('kbd'), { textContent: keyLabel(key) }));
      item.append(keys, ` ${binding.help}`);
      return item;
    }),
  );
}

const ARROWS: Record<string, string> = { ArrowLeft: '←', ArrowRight: '→', ArrowUp: '↑', ArrowDown: '↓', 'Shift+Arrows': 'Shift + arrows' };
const keyLabel = (key: string): string => ARROWS[key] ?? (key.length === 1 ? key.toUpperCase() : key);
