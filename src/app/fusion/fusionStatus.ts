import type { GuidanceMode } from '../../core/rehearsal/sessionRecord';
import type { NavigatedView } from '../../core/simulation/navigationSnapshot';

/** What the scanner is doing: the probe type and the frequency and depth in use (not the probe's defaults). */
export interface ScannerInUse {
  readonly type: 'curvilinear' | 'linear';
  readonly frequencyMHz: number;
  readonly depthMm: number;
}

/** "Linear 8 MHz": the probe and the frequency the scanner transmits now. */
export const scannerLabel = (s: ScannerInUse): string => `${s.type === 'linear' ? 'Linear' : 'Curvilinear'} ${Number(s.frequencyMHz.toFixed(2))} MHz`;

/** Why there is no fused plane, in fusion guidance (the only mode with a registration to make). */
const TRACKING: Record<string, string> = {
  unregistered: 'Not registered: register with the marker',
  'out-of-field': 'Probe or reference out of the tracker field',
  missing: 'Tracking lost (no sample)',
};

/**
 * The line under the fused images: why there is no fused plane (not registered, out of the field,
 * tracking lost), or the probe, the tracking and the needle's relation to the image plane — and,
 * in the guidance modes without navigation, what the trainee does instead. Only fusion guidance
 * speaks of registering or tracking: ultrasound-only and CT-only need neither.
 */
export function fusionStatus(mode: GuidanceMode, tracking: string, live?: { scanner: ScannerInUse; seed: number; navigated?: NavigatedView }): string {
  if (mode === 'ct') return 'CT-only guidance: no ultrasound, no navigation; the needle is seen on CT passes only (CT pass)';
  if (mode === 'ultrasound') {
    const scanner = live ? `${scannerLabel(live.scanner)} · ` : '';
    const depth = live ? ` · depth ${live.scanner.depthMm / 10} cm` : '';
    return `${scanner}Ultrasound-only guidance: no navigation; the needle shows only as its echoes${depth}`;
  }
  if (tracking !== 'ok' || !live) return TRACKING[tracking] ?? tracking;
  const probe = scannerLabel(live.scanner);
  const depth = ` · depth ${live.scanner.depthMm / 10} cm`;
  const relation = live.navigated?.needleToPlane;
  const needle = relation
    ? ` · needle ${relation.angleDeg.toFixed(0)}° to the plane, tip ${Math.abs(relation.tipDistanceMm).toFixed(1)} mm ${Math.abs(relation.tipDistanceMm) <= 1.5 ? '(in plane)' : 'out of plane'} (navigated)`
    : '';
  const metal = live.navigated?.metalDistortionMm;
  const quality = metal !== undefined && metal >= 0.5 ? `tracking DISTORTED: metal near the probe (≈ ${metal.toFixed(1)} mm)` : 'tracking ok';
  return `${probe} · ${quality} · seed ${live.seed}${needle}${depth}`;
}
