import type { GuidanceMode } from '../../core/rehearsal/sessionRecord';

const TRACKING: Record<string, string> = {
  unregistered: 'Not registered: register with the marker',
  'out-of-field': 'Probe or reference out of the tracker field',
  missing: 'Tracking lost (no sample)',
};

/**
 * The line under the fused images: why there is no fused plane (not registered, out of the field,
 * tracking lost), or the probe, the tracking and the needle's relation to the image plane — and,
 * in the guidance modes without navigation, what the trainee does instead.
 */
export function fusionStatus(mode: GuidanceMode, tracking: string, live?: { probeName: string; seed: number; inPlane?: { angleDeg: number; tipDistanceMm: number } }): string {
  if (mode === 'ct') return 'CT-only guidance: no ultrasound, no navigation; acquire a CT pass to see the needle';
  if (tracking !== 'ok' || !live) return TRACKING[tracking] ?? tracking;
  if (mode === 'ultrasound') return `${live.probeName} · ultrasound-only guidance: the needle shows only as its echoes`;
  const needle = live.inPlane
    ? ` · needle ${live.inPlane.angleDeg.toFixed(0)}° to the plane, tip ${Math.abs(live.inPlane.tipDistanceMm).toFixed(1)} mm ${Math.abs(live.inPlane.tipDistanceMm) <= 1.5 ? '(in plane)' : 'out of plane'}`
    : '';
  return `${live.probeName} · tracking ok · seed ${live.seed}${needle}`;
}
