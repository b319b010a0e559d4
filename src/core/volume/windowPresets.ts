/**
 * Display windows for CT, as width/level in HU. Values are the common radiology defaults
 * (soft tissue 400/40, bone 1800/400, lung 1500/−600).
 */
export interface HuWindow {
  readonly width: number;
  readonly level: number;
}

export const WINDOW_PRESETS = {
  'soft-tissue': { width: 400, level: 40 },
  bone: { width: 1800, level: 400 },
  lung: { width: 1500, level: -600 },
} as const satisfies Record<string, HuWindow>;

export type WindowPresetName = keyof typeof WINDOW_PRESETS;

export const isWindowPresetName = (name: string): name is WindowPresetName => name in WINDOW_PRESETS;

/** HU range shown from black to white. */
export const windowToHuRange = ({ width, level }: HuWindow): { lower: number; upper: number } => ({
  lower: level - width / 2,
  upper: level + width / 2,
});

/** Window/level drag: horizontal movement changes width, vertical changes level (1 HU per screen pixel × gain). */
export function dragWindow(start: HuWindow, dxPixels: number, dyPixels: number, huPerPixel = 4): HuWindow {
  return { width: Math.max(1, start.width + dxPixels * huPerPixel), level: start.level - dyPixels * huPerPixel };
}
