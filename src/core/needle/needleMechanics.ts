import { addScaled, dot, normalize, subtract, type Vec3 } from '../geometry/vec3';
import type { CaseFile, FeedbackRegion } from '../cases/caseFile';
import { shapeOf } from '../phantom/avoidShapes';
import type { Shape } from '../phantom/sdf';
import type { CtVolume } from '../volume/ctVolume';
import { ctPointSampler, crossingFraction } from './ctPointSampler';
import type { NeedleCommandResult, NeedleFeedback } from './needleFeedback';
import { angleBetweenDeg, redirectDirection } from './redirectDirection';
import { BONE_HU, BONE_STANDOFF_MM, MARCH_STEP_MM, MAX_REDIRECT_DEPTH_MM, SKIN_HU } from './tissueThresholds';

/** The needle as made: gauge and length from the hub to the tip (mm). */
export interface NeedleSpec {
  readonly gauge: number;
  readonly lengthMm: number;
}

/** Where the needle is, all in Ct (DICOM LPS mm). */
export interface NeedleState {
  readonly tip: Vec3;
  /** The hub: a needle length behind the tip along the shaft. */
  readonly hub: Vec3;
  /** Unit vector along the shaft, hub → tip. */
  readonly direction: Vec3;
  /** Depth of the tip below the skin along the shaft, mm (0 outside the body). */
  readonly insertedMm: number;
  /** The skin puncture the shaft passes through, while the needle is in the body. */
  readonly entry?: Vec3;
  readonly gauge: number;
  readonly lengthMm: number;
  /** Ids of the case's feedback regions the tip is in. */
  readonly regionIds: readonly string[];
  /** Why the last push ended short: bone ahead of the tip, or the hub at the skin. */
  readonly stoppedBy?: 'bone' | 'hub';
}

/**
 * A rigid straight needle in a CT volume: what the operator's hand feels as it is pushed, pulled
 * and steered. The tip is marched along the shaft in ≤ 0.25 mm steps through the trilinear HU
 * (tissueThresholds.ts): coming from outside, the first HU above −300 is the skin puncture; in
 * the body, bone (≥ 400 HU) stops the tip 0.3 mm short of it; entering one of the case's feedback
 * regions (a disc, a joint capsule) is felt as resistance; pulling the tip back past the skin
 * entry takes the needle out. The hub cannot pass the skin, so the needle's length limits depth.
 * Once in tissue the shaft always passes through the skin entry: a redirection pivots about it,
 * and only while the tip is at most 20 mm deep.
 *
 * Commands return what was felt as session events without their time (needleFeedback.ts) for
 * the recorder to stamp; nothing here reads a clock.
 */
export class RigidNeedle {
  private tipInCt: Vec3 = [0, 0, 0];
  private directionInCt: Vec3 = [0, 0, 1];
  private entryInCt: Vec3 | undefined;
  private stop: 'bone' | 'hub' | undefined;
  private readonly huAt: (p: Vec3) => number;
  private readonly regions: readonly { readonly region: FeedbackRegion; readonly shape: Shape }[];
  private readonly regionsHoldingTip = new Set<string>();

  /** Picks the needle up outside the body, tip at `placement.tip`, aimed along `placement.direction`; throws if the tip is in the body. */
  constructor(
    volume: CtVolume,
    readonly spec: NeedleSpec,
    placement: { readonly tip: Vec3; readonly direction: Vec3 },
    feedbackRegions: readonly FeedbackRegion[] = [],
  ) {
    if (!(spec.lengthMm > 0)) throw new Error(`needle length ${spec.lengthMm} mm: expected a positive length`);
    this.huAt = ctPointSampler(volume);
    this.regions = feedbackRegions.map((region) => ({ region, shape: shapeOf(region.shape) }));
    const aimed = this.aim(placement.tip, placement.direction);
    if (!aimed.ok) throw new Error(aimed.reason);
  }

  state(): NeedleState {
    return {
      tip: this.tipInCt,
      hub: addScaled(this.tipInCt, this.directionInCt, -this.spec.lengthMm),
      direction: this.directionInCt,
      insertedMm: this.insertedMm(),
      ...(this.entryInCt ? { entry: this.entryInCt } : {}),
      gauge: this.spec.gauge,
      lengthMm: this.spec.lengthMm,
      regionIds: [...this.regionsHoldingTip],
      ...(this.stop ? { stoppedBy: this.stop } : {}),
    };
  }

  /** Places the tip (outside the body, e.g. on the skin at an entry) aimed along `direction`. Refused while the needle is in the body. */
  aim(tip: Vec3, direction: Vec3): NeedleCommandResult {
    if (this.entryInCt) return { ok: false, reason: `The needle is ${this.insertedMm().toFixed(1)} mm in the body: pull it out before aiming it anew.` };
    const d = Math.hypot(...direction) > 0 ? normalize(direction) : undefined;
    if (!d) return { ok: false, reason: 'The aiming direction is a zero vector: give the direction the needle should point in.' };
    const hu = this.huAt(tip);
    if (hu > SKIN_HU)
      return { ok: false, reason: `The tip at (${tip.map((v) => v.toFixed(1)).join(', ')}) is inside the body (${Math.round(hu)} HU): place it on the skin or outside it.` };
    this.tipInCt = tip;
    this.directionInCt = d;
    this.stop = undefined;
    this.regionsHoldingTip.clear();
    return { ok: true, feedback: [] };
  }

  /** Pushes (positive mm) or pulls (negative) the needle along its shaft. */
  advance(mm: number): NeedleFeedback[] {
    if (!Number.isFinite(mm)) throw new Error(`advance(${mm}): expected a finite distance in mm`);
    const feedback: NeedleFeedback[] = [];
    if (mm > 0) this.push(mm, feedback);
    else if (mm < 0) this.pull(-mm, feedback);
    return feedback;
  }

  /**
   * Changes the shaft's angle: sideways by `yawDeg` and toward the head by `pitchDeg`
   * (redirectDirection.ts). Outside the body the needle turns about its tip. In the body it
   * pivots about the skin entry, keeping the tip's depth, and only while the tip is at most
   * 20 mm deep and no bone lies along the new shaft.
   */
  redirect(yawDeg: number, pitchDeg: number): NeedleCommandResult {
    if (!Number.isFinite(yawDeg) || !Number.isFinite(pitchDeg)) return { ok: false, reason: `redirect(${yawDeg}, ${pitchDeg}): the angles must be finite numbers of degrees.` };
    const direction = redirectDirection(this.directionInCt, yawDeg, pitchDeg);
    const angleDeg = angleBetweenDeg(this.directionInCt, direction);
    const entry = this.entryInCt;
    if (!entry) {
      this.directionInCt = direction;
      this.stop = undefined;
      return { ok: true, feedback: [] };
    }
    const depthMm = this.insertedMm();
    if (depthMm > MAX_REDIRECT_DEPTH_MM) {
      return {
        ok: false,
        reason: `The tip is ${depthMm.toFixed(1)} mm deep: a rigid needle cannot be steered in deep tissue. Withdraw to less than 2 cm (${MAX_REDIRECT_DEPTH_MM} mm) to change the angle.`,
      };
    }
    if (angleDeg < 1e-9) return { ok: true, feedback: [] };
    // The shaft swings through tissue about the entry: bone along the new shaft blocks the turn.
    const reach = depthMm + BONE_STANDOFF_MM;
    const samples = Math.ceil(reach / MARCH_STEP_MM);
    for (let i = 0; i <= samples; i++) {
      const s = (reach * i) / samples;
      if (this.huAt(addScaled(entry, direction, s)) >= BONE_HU) {
        return { ok: false, reason: `Bone lies ${s.toFixed(1)} mm under the skin in the new direction: withdraw the needle or turn it less.` };
      }
    }
    this.directionInCt = direction;
    this.tipInCt = addScaled(entry, direction, depthMm);
    this.stop = undefined;
    const feedback: NeedleFeedback[] = [{ kind: 'redirection', angleDeg, depthMm }];
    this.updateRegions(feedback);
    return { ok: true, feedback };
  }

  private insertedMm(): number {
    return this.entryInCt ? Math.max(0, dot(subtract(this.tipInCt, this.entryInCt), this.directionInCt)) : 0;
  }

  private push(mm: number, feedback: NeedleFeedback[]): void {
    const d = this.directionInCt;
    const wasOnBone = this.stop === 'bone';
    this.stop = undefined;
    let remaining = mm;
    while (remaining > 1e-9) {
      const step = Math.min(MARCH_STEP_MM, remaining);
      let next = addScaled(this.tipInCt, d, step);
      if (!this.entryInCt) {
        const hu = this.huAt(next);
        if (hu > SKIN_HU) {
          const f = crossingFraction((p) => this.huAt(p), this.tipInCt, next, SKIN_HU);
          const entry = addScaled(this.tipInCt, d, step * f);
          this.entryInCt = entry;
          feedback.push({ kind: 'skin-puncture', entry });
        }
      }
      if (this.entryInCt) {
        // The hub stops at the skin.
        const room = this.spec.lengthMm - dot(subtract(next, this.entryInCt), d);
        if (room <= 0) {
          next = addScaled(this.entryInCt, d, this.spec.lengthMm);
          this.stop = 'hub';
        }
        // Bone: the point BONE_STANDOFF_MM ahead of the tip must stay below BONE_HU.
        const probeNow = addScaled(this.tipInCt, d, BONE_STANDOFF_MM);
        const probeNext = addScaled(next, d, BONE_STANDOFF_MM);
        if (this.huAt(probeNext) >= BONE_HU) {
          const f = this.huAt(probeNow) >= BONE_HU ? 0 : crossingFraction((p) => this.huAt(p), probeNow, probeNext, BONE_HU);
          const movedMm = Math.hypot(...subtract(next, this.tipInCt)) * f;
          this.tipInCt = addScaled(this.tipInCt, d, movedMm);
          this.stop = 'bone';
          this.updateRegions(feedback);
          if (!(wasOnBone && movedMm + (mm - remaining) < 1e-6)) feedback.push({ kind: 'bone-contact', point: this.tipInCt });
          return;
        }
      }
      this.tipInCt = next;
      remaining -= step;
      this.updateRegions(feedback);
      if (this.stop === 'hub') return;
    }
  }

  private pull(mm: number, feedback: NeedleFeedback[]): void {
    const depthMm = this.insertedMm();
    this.stop = undefined;
    this.tipInCt = addScaled(this.tipInCt, this.directionInCt, -mm);
    if (this.entryInCt && mm >= depthMm) {
      this.entryInCt = undefined;
      this.regionsHoldingTip.clear();
      feedback.push({ kind: 'needle-out' });
      return;
    }
    // Regions left (or re-entered) on the way back are not felt: resistance is felt pushing in.
    this.updateRegions(undefined);
  }

  /** Tracks which feedback regions hold the tip; entering one while pushing or steering is felt. */
  private updateRegions(feedback: NeedleFeedback[] | undefined): void {
    for (const { region, shape } of this.regions) {
      const inside = this.entryInCt !== undefined && shape.distance(this.tipInCt) < 0;
      if (inside && !this.regionsHoldingTip.has(region.id)) {
        this.regionsHoldingTip.add(region.id);
        feedback?.push({ kind: 'resistance', regionId: region.id, name: region.name });
      } else if (!inside) this.regionsHoldingTip.delete(region.id);
    }
  }
}

/** The case's needle (procedure.needle) with the case's feedback regions, picked up at `placement`. */
export function needleForCase(
  volume: CtVolume,
  caseFile: Pick<CaseFile, 'procedure' | 'feedbackRegions'>,
  placement: { readonly tip: Vec3; readonly direction: Vec3 },
): RigidNeedle {
  return new RigidNeedle(volume, caseFile.procedure.needle, placement, caseFile.feedbackRegions ?? []);
}
