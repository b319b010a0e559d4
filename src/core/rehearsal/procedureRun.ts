import type { CaseFile, CaseTarget } from '../cases/caseFile';
import { applyToPoint, invert, transformOf, type Transform } from '../frames/transform';
import type { Vec3 } from '../geometry/vec3';
import type { MetricResult } from '../metrics/metric';
import { followRecord } from '../metrics/metricsStream';
import { shaftToStructures } from '../needle/shaftToStructures';
import { isInFieldOfView, type ProbeModel } from '../tracking/probeModels';
import { stepStates, type CaseNeeds } from './procedureSteps';
import { vesselsToMap } from './vesselMapping';
import {
  SESSION_SCHEMA,
  SESSION_SCHEMA_VERSION,
  type GuidanceMode,
  type ProcedureStepId,
  type SessionEvent,
  type SessionRecord,
  type SessionSettings,
  type TrackingSample,
} from './sessionRecord';

/** Samples closer together than this are merged (the last one wins), ms. */
const SAMPLE_INTERVAL_MS = 50;
/** The target counts as "in the image" within this distance of the plane, mm (Perk Tutor's "target scanned"). */
const TARGET_SCANNED_MM = 5;
/** Half the elevation beam: the tip is in plane within this distance, mm. */
const IN_PLANE_MM = 2.5;

/** The needle as the mechanics report it (Ct mm). */
export interface NeedleNow {
  readonly tip: Vec3;
  readonly hub: Vec3;
  readonly insertedMm: number;
}

export type RunEvent = SessionEvent extends infer E ? (E extends { t: number } ? Omit<E, 't'> : never) : never;

/**
 * One attempt at a case: records the truth of the simulation (samples and events, the session
 * record) and decides the checklist from it — plan reviewed, registered, target scanned, needle in
 * plane, confirmed, injected, final CT. Warns as the inserted shaft comes within the margin of a
 * structure to avoid, and records a breach when it enters one (once per structure per puncture).
 * DOM-free, so Node can run a scripted attempt exactly as the app does.
 */
export class ProcedureRun {
  readonly record: SessionRecord & { samples: TrackingSample[]; events: SessionEvent[] };
  readonly target: CaseTarget;
  private lastSampleT = -Infinity;
  /** Structures currently within the margin (warned) and those already breached since the last puncture. */
  private readonly warned = new Set<string>();
  private readonly breached = new Set<string>();
  private entry: Vec3 | undefined;
  /** The vessels this case's technique maps with colour Doppler (none: no such step). */
  readonly vesselsToMap: readonly string[];
  private readonly needs: CaseNeeds;
  /** Vessels seen inside the colour box so far. */
  private readonly mapped = new Set<string>();
  /**
   * What the checks of every update ask of the events, kept as they are added (issue 12: a scan
   * of all the events per pose change grew with the session): the steps done, the count of each
   * kind, the step-done events (the checklist). `indexed` events of the record are counted.
   */
  private indexed = 0;
  private readonly doneSteps = new Set<ProcedureStepId>();
  private readonly kindCounts = new Map<SessionEvent['kind'], number>();
  private readonly stepEvents: SessionEvent[] = [];

  constructor(
    readonly caseFile: CaseFile,
    readonly probeModel: ProbeModel,
    options: { id: string; targetId: string; mode: GuidanceMode; seed: number; startedAt: string; settings: SessionSettings },
    existing?: SessionRecord,
  ) {
    const target = caseFile.targets.find((t) => t.id === options.targetId);
    if (!target) throw new Error(`the case has no target "${options.targetId}"`);
    this.target = target;
    this.vesselsToMap = vesselsToMap(caseFile);
    this.needs = new Set(this.vesselsToMap.length ? (['vessel-mapping'] as const) : []);
    this.record = existing
      ? { ...existing, samples: [...existing.samples], events: [...existing.events] }
      : {
          schema: SESSION_SCHEMA,
          schemaVersion: SESSION_SCHEMA_VERSION,
          id: options.id,
          caseId: caseFile.id,
          targetId: options.targetId,
          mode: options.mode,
          seed: options.seed,
          startedAt: options.startedAt,
          settings: options.settings,
          samples: [],
          events: [],
        };
    if (existing) {
      // Resume: the entry of the current puncture, and the structures already breached since it.
      for (const event of existing.events) {
        if (event.kind === 'skin-puncture') {
          this.entry = event.entry;
          this.breached.clear();
        } else if (event.kind === 'needle-out') this.entry = undefined;
        else if (event.kind === 'breach') this.breached.add(event.structureId);
      }
      this.lastSampleT = existing.samples.at(-1)?.t ?? -Infinity;
    } else {
      this.add({ kind: 'planning-ct' }, 0);
      this.stepDone('case', 0);
      // CT-only guidance registers nothing and scans nothing.
    }
  }

  get mode(): GuidanceMode {
    return this.record.mode;
  }

  /** The last recorded time, ms (where a resumed attempt continues from). */
  lastTime(): number {
    return Math.max(this.record.samples.at(-1)?.t ?? 0, this.record.events.at(-1)?.t ?? 0);
  }

  isDone(step: ProcedureStepId): boolean {
    this.indexEvents();
    return this.doneSteps.has(step);
  }

  steps() {
    this.indexEvents();
    return stepStates({ mode: this.record.mode, events: this.stepEvents }, this.needs);
  }

  count(kind: SessionEvent['kind']): number {
    this.indexEvents();
    return this.kindCounts.get(kind) ?? 0;
  }

  /** Takes the events added since the last call into the step and kind indexes (O(new events)). */
  private indexEvents(): void {
    const events = this.record.events;
    for (; this.indexed < events.length; this.indexed++) {
      const event = events[this.indexed]!;
      this.kindCounts.set(event.kind, (this.kindCounts.get(event.kind) ?? 0) + 1);
      if (event.kind === 'step-done') {
        this.doneSteps.add(event.step);
        this.stepEvents.push(event);
      }
    }
  }

  planReviewed(t: number): void {
    this.stepDone('plan', t);
  }

  registered(t: number, result: { method: 'marker' | 'point-pairs' | 'plane-point'; freMm: number; predictedTreMm: number; trueTreMm: number }): void {
    this.add({ kind: 'registration', ...result }, t);
    this.stepDone('register', t);
  }

  /**
   * The truth at time t: probe pose (absent when off the patient), image plane, needle. Records a
   * sample (at most one per 50 ms unless `force`), completes "scan" and "insert" when their
   * conditions hold, and returns the warnings and breaches this moment brings. `probeModel` is
   * the probe at the image depth `imageToCt` was made for (its grid follows the depth), the
   * run's probe model when absent.
   */
  update(t: number, now: { probeToCt?: Transform<'Probe', 'Ct'>; imageToCt?: Transform<'Image', 'Ct'>; probeModel?: ProbeModel; needle?: NeedleNow }, force = false): RunEvent[] {
    const sample: TrackingSample = {
      t,
      ...(now.probeToCt ? { probeToCt: Array.from(now.probeToCt.matrix) } : {}),
      ...(now.imageToCt ? { imageToCt: Array.from(now.imageToCt.matrix) } : {}),
      ...(now.needle ? { needle: { tip: now.needle.tip, hub: now.needle.hub } } : {}),
      insertedMm: now.needle?.insertedMm ?? 0,
    };
    if (!force && t - this.lastSampleT < SAMPLE_INTERVAL_MS && this.record.samples.length > 0) this.record.samples[this.record.samples.length - 1] = sample;
    else {
      this.record.samples.push(sample);
      this.lastSampleT = t;
    }
    if (now.imageToCt && this.mode !== 'ct') {
      const model = now.probeModel ?? this.probeModel;
      if (!this.isDone('scan') && this.isDone('plan') && this.inImage(now.imageToCt, model, this.target.centre, TARGET_SCANNED_MM)) this.stepDone('scan', t);
      if (!this.isDone('insert') && now.needle && now.needle.insertedMm > 5 && this.inImage(now.imageToCt, model, now.needle.tip, IN_PLANE_MM)) this.stepDone('insert', t);
    } else if (this.mode === 'ct' && !this.isDone('insert') && now.needle && now.needle.insertedMm > 5) this.stepDone('insert', t);
    return now.needle ? this.checkStructures(t, now.needle) : [];
  }

  /**
   * A colour Doppler frame with these vessels' lumens inside the colour box: once every vessel
   * the technique maps has been inside it (in one frame or over several), records the
   * 'colour-doppler' event and completes the step. Not in CT-only guidance (no ultrasound).
   */
  colourDoppler(t: number, vesselIdsInBox: readonly string[]): void {
    if (this.mode === 'ct' || this.vesselsToMap.length === 0 || this.isDone('doppler')) return;
    for (const id of vesselIdsInBox) if (this.vesselsToMap.includes(id)) this.mapped.add(id);
    if (!this.vesselsToMap.every((id) => this.mapped.has(id))) return;
    this.add({ kind: 'colour-doppler', vesselIds: [...this.vesselsToMap] }, t);
    this.stepDone('doppler', t);
  }

  /** Events from the needle mechanics (puncture, bone contact, resistance, redirection, needle out). */
  needleEvents(t: number, events: readonly RunEvent[]): void {
    for (const event of events) {
      if (event.kind === 'skin-puncture') {
        this.entry = event.entry;
        this.breached.clear();
        this.warned.clear();
      } else if (event.kind === 'needle-out') {
        this.entry = undefined;
        this.warned.clear();
      }
      this.add(event, t);
    }
  }

  /** A confirmation CT: the needle where it truly is. It never confirms by itself: the trainee does (`confirm`). */
  ctPass(t: number, needle: { tip: Vec3; hub: Vec3 } | undefined): void {
    this.add({ kind: 'ct-pass', ...(needle ? { needle } : {}) }, t);
    if (this.count('injection') > 0) this.stepDone('final-ct', t);
  }

  /**
   * The trainee confirms the tip position from the images. With CT-only guidance they can judge
   * it only from a CT pass taken since the needle last moved into the patient, so one is required.
   */
  confirm(t: number): string | undefined {
    if (!this.isDone('insert')) return 'Insert the needle first.';
    if (this.mode === 'ct') {
      const lastPass = [...this.record.events].reverse().find((e) => e.kind === 'ct-pass');
      const insertedAt = this.record.events.find((e) => e.kind === 'step-done' && e.step === 'insert')?.t ?? Infinity;
      if (!lastPass || lastPass.t < insertedAt) return 'With CT guidance, take a CT pass to see where the tip is, then confirm.';
    }
    this.stepDone('confirm', t);
    return undefined;
  }

  inject(t: number, tip: Vec3, volumeMl: number, medium: 'gas' | 'fluid'): string | undefined {
    if (!this.entry) return 'The needle is not in the patient.';
    this.add({ kind: 'injection', tip, volumeMl, medium }, t);
    this.stepDone('inject', t);
    return undefined;
  }

  finish(t: number): void {
    this.stepDone('report', t);
    this.add({ kind: 'finished' }, t);
  }

  /**
   * The metrics of the attempt so far, for live display: exactly what computeMetrics gives for
   * the record now, computed incrementally (metricsStream.ts), so each call costs what was
   * recorded since the last one, not the whole attempt.
   */
  liveMetrics(): MetricResult[] {
    return (this.live ??= followRecord(this.caseFile, this.record)).result();
  }

  private live: ReturnType<typeof followRecord> | undefined;

  get finished(): boolean {
    return this.count('finished') > 0;
  }

  private checkStructures(t: number, needle: NeedleNow): RunEvent[] {
    if (needle.insertedMm <= 0 || !this.entry) return [];
    const axis: Vec3 = [needle.tip[0] - needle.hub[0], needle.tip[1] - needle.hub[1], needle.tip[2] - needle.hub[2]];
    const length = Math.hypot(...axis) || 1;
    // The inserted part of the shaft: from the skin (insertedMm behind the tip) to the tip.
    const skin: Vec3 = [
      needle.tip[0] - (axis[0] / length) * needle.insertedMm,
      needle.tip[1] - (axis[1] / length) * needle.insertedMm,
      needle.tip[2] - (axis[2] / length) * needle.insertedMm,
    ];
    const margin = this.record.settings.avoidMarginMm;
    const out: RunEvent[] = [];
    const near = shaftToStructures(skin, needle.tip, this.caseFile.avoid, margin);
    const nearIds = new Set<string>();
    for (const { structure, distanceMm, closest } of near) {
      nearIds.add(structure.id);
      if (distanceMm < 0 && !this.breached.has(structure.id)) {
        this.breached.add(structure.id);
        out.push({ kind: 'breach', structureId: structure.id, name: structure.name, point: closest });
      } else if (distanceMm <= margin && !this.warned.has(structure.id)) {
        this.warned.add(structure.id);
        out.push({ kind: 'warning', structureId: structure.id, distanceMm: Math.round(distanceMm * 10) / 10 });
      }
    }
    // Leaving the margin re-arms the warning for the next approach.
    for (const id of [...this.warned]) if (!nearIds.has(id)) this.warned.delete(id);
    for (const event of out) this.add(event, t);
    return out;
  }

  private inImage(imageToCt: Transform<'Image', 'Ct'>, model: ProbeModel, point: Vec3, withinMm: number): boolean {
    const pixel = applyToPoint(invert(imageToCt), point);
    // Image z is in pixels too (the transform scales all three axes by mm per pixel).
    return Math.abs(pixel[2]) * model.mmPerPixel <= withinMm && isInFieldOfView(model, pixel[0], pixel[1]);
  }

  private stepDone(step: ProcedureStepId, t: number): void {
    if (!this.isDone(step)) this.add({ kind: 'step-done', step }, t);
  }

  private add(event: RunEvent, t: number): void {
    this.record.events.push({ ...event, t } as SessionEvent);
  }
}

/** A record's 4×4 back into a transform (samples store them row-major). */
export const imageToCtOf = (matrix: readonly number[]) => transformOf('Image', 'Ct', matrix);
