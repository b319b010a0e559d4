import type { Vec3 } from '../geometry/vec3';
import type { CaseFile } from '../cases/caseFile';

/**
 * Blood flow in the case's vessels, for colour Doppler (DOM-free). A vessel is a structure to
 * avoid with a `blood` acoustic override and a tube shape (a sphere has no axis: no flow). Flow runs
 * along the tube's axis with a parabolic (Poiseuille) profile, v = v_centre · (1 − (ρ/R)²).
 *
 * Direction convention: case files draw the femoral and iliac vessels from proximal to distal,
 * so an artery flows along the order of its points (away from the heart) and a vein against it
 * (venous return). An artery (a `pulsation`, or kind "artery") has the triphasic waveform of a
 * peripheral artery; a vein is phasic with breathing. Velocities in cm/s, positions in Ct (LPS mm).
 */
export interface DopplerVessel {
  readonly id: string;
  readonly name: string;
  readonly kind: 'artery' | 'vein';
  /** The axis polyline (Ct mm), in the case's order. */
  readonly points: readonly Vec3[];
  readonly radiusMm: number;
  /** The artery's lumen beat (the B-mode's pulsation): radius grows by radiusChangeMm at systole. */
  readonly pulsation?: { readonly beatsPerMinute: number; readonly radiusChangeMm: number };
}

/** Heart rate when a case gives an artery no pulsation, beats/min. */
const DEFAULT_BPM = 70;
/** Breaths per minute for the venous phasicity. */
const BREATHS_PER_MINUTE = 15;
/** Femoral vein centreline velocity: 15 ± 5 cm/s with breathing (slower on inspiration in the leg). */
const VEIN_MEAN_CMS = 15;
const VEIN_SWING_CMS = 5;

/** The case's vessels with flow: blood-filled tubes among the structures to avoid. */
export function caseDopplerVessels(caseFile: CaseFile): DopplerVessel[] {
  return caseFile.avoid.flatMap((structure) => {
    if (structure.acoustic?.medium !== 'blood' || structure.shape.type !== 'tube' || structure.shape.points.length < 2) return [];
    const kind = structure.acoustic.pulsation || structure.kind === 'artery' ? 'artery' : 'vein';
    return [
      {
        id: structure.id,
        name: structure.name,
        kind,
        points: structure.shape.points,
        radiusMm: structure.shape.radiusMm,
        ...(structure.acoustic.pulsation ? { pulsation: structure.acoustic.pulsation } : {}),
      },
    ];
  });
}

/**
 * The femoral artery's triphasic waveform at the centreline, cm/s, over the cardiac phase 0…1:
 * a systolic peak of 95 cm/s at 0.15, a brief reverse flow of about −25 cm/s in early diastole
 * (0.32), a small forward wave (+12 cm/s, 0.48), then no flow until the next beat.
 */
export function arterialCentrelineCmS(phase: number): number {
  const g = (centre: number, width: number) => Math.exp(-0.5 * ((phase - centre) / width) ** 2);
  return 95 * g(0.15, 0.04) - 25 * g(0.32, 0.045) + 12 * g(0.48, 0.05);
}

/**
 * The cardiac phase at `timeMs`, aligned with the B-mode's lumen beat (acousticRegions: the radius
 * is largest at 0.5 of its cosine cycle): the systolic flow peak comes just before it.
 */
export function cardiacPhase(timeMs: number, beatsPerMinute: number): number {
  const p = (timeMs * beatsPerMinute) / 60000 + 0.7;
  return p - Math.floor(p);
}

/** The vessel's centreline velocity at `timeMs`, cm/s, positive along its flow direction. */
export function centrelineCmS(vessel: DopplerVessel, timeMs: number): number {
  if (vessel.kind === 'artery') return arterialCentrelineCmS(cardiacPhase(timeMs, vessel.pulsation?.beatsPerMinute ?? DEFAULT_BPM));
  return VEIN_MEAN_CMS + VEIN_SWING_CMS * Math.sin((2 * Math.PI * timeMs * BREATHS_PER_MINUTE) / 60000);
}

/** The lumen's radius at `timeMs`, mm (an artery widens at systole as the B-mode shows it). */
export function lumenRadiusMm(vessel: DopplerVessel, timeMs: number): number {
  const p = vessel.pulsation;
  if (!p) return vessel.radiusMm;
  return vessel.radiusMm + p.radiusChangeMm * (0.5 - 0.5 * Math.cos((2 * Math.PI * timeMs * p.beatsPerMinute) / 60000));
}

/**
 * Where `point` lies relative to the vessel's axis: the distance to the nearest point of the
 * polyline (mm) and the unit flow direction there (along the points for an artery, against for a
 * vein). `out` receives [distance, dx, dy, dz] (no allocation per call).
 */
export function nearestAxis(vessel: DopplerVessel, x: number, y: number, z: number, out: Float64Array): void {
  let best = Infinity;
  const sign = vessel.kind === 'artery' ? 1 : -1;
  for (let i = 0; i + 1 < vessel.points.length; i++) {
    const a = vessel.points[i]!;
    const b = vessel.points[i + 1]!;
    const ux = b[0] - a[0];
    const uy = b[1] - a[1];
    const uz = b[2] - a[2];
    const ll = ux * ux + uy * uy + uz * uz;
    const t = Math.max(0, Math.min(1, ((x - a[0]) * ux + (y - a[1]) * uy + (z - a[2]) * uz) / ll));
    const dx = x - (a[0] + ux * t);
    const dy = y - (a[1] + uy * t);
    const dz = z - (a[2] + uz * t);
    const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (d < best) {
      best = d;
      const l = Math.sqrt(ll);
      out[1] = (sign * ux) / l;
      out[2] = (sign * uy) / l;
      out[3] = (sign * uz) / l;
    }
  }
  out[0] = best;
}
