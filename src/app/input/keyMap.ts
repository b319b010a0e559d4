import type { ProbeMove } from '../../core/navigation/probeMotion';
import type { NeedleCommand } from '../../core/simulation/simulatorState';

/** What a key does: move the probe as a hand does, push/pull or turn the needle, or a scanner control. */
export type KeyCommand =
  | { readonly kind: 'probe'; readonly move: ProbeMove }
  | { readonly kind: 'needle'; readonly command: NeedleCommand }
  | { readonly kind: 'doppler' }
  /** The colour box's own keys, while colour Doppler is on. */
  | { readonly kind: 'doppler-box' };

/** One key of the map, with the words the Controls help shows. */
export interface KeyBinding {
  readonly keys: readonly string[];
  readonly help: string;
  /** The command for the key; `shift` is whether Shift was held. */
  command(shift: boolean): KeyCommand;
}

const slide = (alongArrayMm: number, alongElevationMm: number): KeyCommand => ({ kind: 'probe', move: { kind: 'slide', alongArrayMm, alongElevationMm } });
const push =
  (mm: number) =>
  (shift: boolean): KeyCommand => ({ kind: 'needle', command: { kind: 'push', mm: shift ? mm * 5 : mm } });
const turn = (yawDeg: number, pitchDeg: number): KeyCommand => ({ kind: 'needle', command: { kind: 'turn', yawDeg, pitchDeg } });

/**
 * The one key map of the simulator (the Controls help is generated from it). Keys reach the probe
 * and the needle wherever the focus is, except in text fields. Letters match either case; Shift
 * multiplies a needle push by 5.
 */
export const KEY_BINDINGS: readonly KeyBinding[] = [
  { keys: ['ArrowLeft'], help: 'slide the probe 2 mm along its array (toward its marker’s opposite)', command: () => slide(-2, 0) },
  { keys: ['ArrowRight'], help: 'slide the probe 2 mm along its array (toward its marker)', command: () => slide(2, 0) },
  { keys: ['ArrowUp'], help: 'slide the probe 2 mm across its array (elevation)', command: () => slide(0, 2) },
  { keys: ['ArrowDown'], help: 'slide the probe 2 mm back across its array', command: () => slide(0, -2) },
  { keys: ['q'], help: 'rotate the probe 5° anticlockwise on the skin', command: () => ({ kind: 'probe', move: { kind: 'rotate', degrees: -5 } }) },
  { keys: ['e'], help: 'rotate the probe 5° clockwise on the skin', command: () => ({ kind: 'probe', move: { kind: 'rotate', degrees: 5 } }) },
  { keys: ['w'], help: 'tilt the probe 2° (fan the beam forward)', command: () => ({ kind: 'probe', move: { kind: 'tilt', degrees: 2 } }) },
  { keys: ['s'], help: 'tilt the probe 2° back', command: () => ({ kind: 'probe', move: { kind: 'tilt', degrees: -2 } }) },
  { keys: ['a'], help: 'rock the probe 2° along its array (heel–toe)', command: () => ({ kind: 'probe', move: { kind: 'rock', degrees: -2 } }) },
  { keys: ['d'], help: 'rock the probe 2° the other way', command: () => ({ kind: 'probe', move: { kind: 'rock', degrees: 2 } }) },
  { keys: ['i'], help: 'push the needle 2 mm (Shift: 10 mm)', command: push(2) },
  { keys: ['k'], help: 'pull the needle 2 mm (Shift: 10 mm)', command: push(-2) },
  { keys: ['j'], help: 'turn the needle 2° left (tip within 2 cm of the skin)', command: () => turn(-2, 0) },
  { keys: ['l'], help: 'turn the needle 2° right (tip within 2 cm of the skin)', command: () => turn(2, 0) },
  { keys: ['u'], help: 'turn the needle 2° up (tip within 2 cm of the skin)', command: () => turn(0, -2) },
  { keys: ['o'], help: 'turn the needle 2° down (tip within 2 cm of the skin)', command: () => turn(0, 2) },
  { keys: ['c'], help: 'colour Doppler on/off (drag on the ultrasound to move its box)', command: () => ({ kind: 'doppler' }) },
  { keys: ['Shift+Arrows'], help: 'move the colour box (colour Doppler on)', command: () => ({ kind: 'doppler-box' }) },
  { keys: ['[', ']'], help: 'widen / narrow the colour box', command: () => ({ kind: 'doppler-box' }) },
  { keys: ['-', '='], help: 'shorten / lengthen the colour box in depth', command: () => ({ kind: 'doppler-box' }) },
];

const BY_KEY = new Map(KEY_BINDINGS.flatMap((binding) => binding.keys.map((key) => [key, binding] as const)));

/** The binding of a key event's key (letters in either case), if any. */
export function bindingFor(key: string): KeyBinding | undefined {
  return BY_KEY.get(key) ?? BY_KEY.get(key.toLowerCase());
}
