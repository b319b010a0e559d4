import type { ProbeMove } from '../../core/navigation/probeMotion';

/** Keys of the fusion view: the probe moves as a hand moves it. */
export const KEY_MOVES: Record<string, ProbeMove> = {
  ArrowLeft: { kind: 'slide', alongArrayMm: -2, alongElevationMm: 0 },
  ArrowRight: { kind: 'slide', alongArrayMm: 2, alongElevationMm: 0 },
  ArrowUp: { kind: 'slide', alongArrayMm: 0, alongElevationMm: 2 },
  ArrowDown: { kind: 'slide', alongArrayMm: 0, alongElevationMm: -2 },
  q: { kind: 'rotate', degrees: -5 },
  e: { kind: 'rotate', degrees: 5 },
  w: { kind: 'tilt', degrees: 2 },
  s: { kind: 'tilt', degrees: -2 },
  a: { kind: 'rock', degrees: -2 },
  d: { kind: 'rock', degrees: 2 },
};

/** Keys that push or pull the needle along its shaft, mm. */
export const NEEDLE_KEYS: Record<string, number> = { i: 2, k: -2, I: 10, K: -10 };
