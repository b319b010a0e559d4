import { injectatesAt, injectionAcousticRegions, injectionDurationMs, type InjectateContext } from '../ctpass/injectateSpread';
import { normalize, subtract, type Vec3 } from '../geometry/vec3';
import type { RegistrationSummary } from '../navigation/navigationSession';
import type { NeedleFeedback } from '../needle/needleFeedback';
import { shaftToStructures } from '../needle/shaftToStructures';
import { entryForTarget } from '../planning/entryForTarget';
import { probeAlongPath } from '../planning/probeAlongPath';
import { skinEntryAlong } from '../planning/skinEntryAlong';
import { injectateFor, injectionsIn } from '../rehearsal/injections';
import { ProcedureRun, type RunEvent } from '../rehearsal/procedureRun';
import { lastProbePose, resumedNeedle } from '../rehearsal/resumeState';
import { DEFAULT_SESSION_SETTINGS, type GuidanceMode, type SessionRecord } from '../rehearsal/sessionRecord';
import { gaugeDiameterMm } from '../tracking/needleModel';
import type { CtPassShown } from './ctPassShown';
import { cueFor } from './cueText';
import type { SimulatorState } from './simulatorState';

/** What the trainee chose in the rehearsal panel. */
export interface AttemptOptions {
  readonly targetId: string;
  readonly mode: GuidanceMode;
  readonly needle: { readonly gauge: number; readonly lengthMm: number };
  readonly dlpPerPassMGyCm?: number;
  readonly avoidMarginMm?: number;
}

/** The structure to avoid nearest the inserted shaft now, and the nearest it has come this attempt (mm, negative inside). */
export interface NearestStructure {
  readonly id: string;
  readonly name: string;
  readonly distanceMm: number;
  readonly closestSoFarMm: number;
}

/**
 * One attempt, owned by the SimulatorState: the ProcedureRun (record, checklist, warnings), the
 * attempt's clock (t = 0 at its start, ms), the planned entry, the injection in progress and the
 * last CT pass. It records only changes of the truth (probe, needle, registration), never a window
 * or gain change, and announces what it added as `session-delta` events.
 */
export class Attempt {
  readonly run: ProcedureRun;
  plannedEntry: Vec3 | undefined;
  private readonly t0: number;
  private injectingUntil = -Infinity;
  private lastPass: CtPassShown | undefined;
  private samplesSeen = 0;
  private eventsSeen = 0;
  private stopped = false;
  private closest = new Map<string, number>();
  private nearest: NearestStructure | undefined;

  constructor(
    private readonly state: SimulatorState,
    options: AttemptOptions,
    resume?: SessionRecord,
  ) {
    const session = state.session!;
    const caseFile = state.caseFile!;
    const volume = state.volume!;
    const needle = resume?.settings.needle ?? options.needle;
    session.useNeedle({ name: `${needle.gauge} G ${needle.lengthMm / 10} cm needle`, gauge: needle.gauge, lengthMm: needle.lengthMm });
    const settings = {
      ...DEFAULT_SESSION_SETTINGS,
      ...(options.dlpPerPassMGyCm !== undefined && options.dlpPerPassMGyCm > 0 ? { dlpPerPassMGyCm: options.dlpPerPassMGyCm } : {}),
      ...(options.avoidMarginMm !== undefined && options.avoidMarginMm > 0 ? { avoidMarginMm: options.avoidMarginMm } : {}),
      needle: { gauge: session.needleModel.gauge, lengthMm: session.needleModel.lengthMm },
      probeId: session.probeModel.id,
    };
    const now = state.now();
    this.run = new ProcedureRun(
      caseFile,
      session.probeModel,
      {
        id: `attempt-${Date.now().toString(36)}`,
        targetId: resume?.targetId ?? options.targetId,
        mode: resume?.mode ?? options.mode,
        seed: session.seed,
        startedAt: new Date().toISOString(),
        settings,
      },
      resume,
    );
    this.t0 = now - (resume ? this.run.lastTime() + 1 : 0);
    this.samplesSeen = this.run.record.samples.length;
    this.eventsSeen = this.run.record.events.length;
    state.setMode(this.run.mode);
    if (resume) {
      const probe = lastProbePose(resume);
      if (probe) session.setProbe(probe, now);
      session.setNeedleMechanics(resumedNeedle(volume, caseFile, resume), now);
      // A registration is redone the way it was done (the room and tracker are seeded alike); its recorded figures stay in the record.
      if (resume.events.some((e) => e.kind === 'registration')) {
        const summary = session.registerWithMarker();
        if (!('reason' in summary)) state.events.emit('registration', { summary });
      }
      this.updateInjectates();
    } else session.setNeedleMechanics(undefined, now);
    this.plannedEntry = resume ? caseFile.procedure.suggestedEntry : entryForTarget(volume, caseFile, this.run.target);
    state.events.emit('plan', { entry: this.plannedEntry });
    state.events.emit('attempt', { run: this.run });
    this.emitDelta(true);
  }

  /** Attempt time now, ms (0.1 ms resolution, as recorded). */
  t(): number {
    return Math.round((this.state.now() - this.t0) * 10) / 10;
  }

  get active(): boolean {
    return !this.stopped && !this.run.finished && !this.state.replaying;
  }

  stop(): void {
    this.stopped = true;
    this.injectingUntil = -Infinity;
    this.state.setExtraRegions([]);
  }

  /** The last CT pass of this attempt (what CT-only guidance shows between passes). */
  lastCtPass(): CtPassShown | undefined {
    return this.lastPass;
  }

  nearestStructure(): NearestStructure | undefined {
    return this.nearest;
  }

  /** The tracker's clock: while the plunger is pushed, the injectate spreads on the ultrasound. */
  tick(): void {
    if (this.state.now() > this.injectingUntil) return;
    this.updateInjectates();
  }

  /** Every change of the truth (probe, needle): record it, check the structures, cue what was felt. */
  truthChanged(feedback: readonly NeedleFeedback[]): void {
    if (!this.active) return;
    const session = this.state.session!;
    const t = this.t();
    if (feedback.length) {
      this.run.needleEvents(t, feedback);
      for (const event of feedback) this.cueFor(event);
    }
    const needle = session.needleState();
    const probe = session.probe();
    const image = session.trueImageToCt();
    const events = this.run.update(t, {
      ...(probe ? { probeToCt: probe } : {}),
      ...(image ? { imageToCt: image, probeModel: session.probeModel } : {}),
      ...(needle ? { needle: { tip: needle.tip, hub: needle.hub, insertedMm: needle.insertedMm } } : {}),
    });
    for (const event of events) this.cueFor(event);
    this.updateNearest();
    this.emitDelta(events.length > 0 || feedback.length > 0);
    this.state.events.emit('attempt', { run: this.run });
  }

  registered(summary: RegistrationSummary): void {
    if (!this.active) return;
    this.run.registered(this.t(), {
      method: summary.method,
      freMm: summary.freMm,
      predictedTreMm: Number.isFinite(summary.predictedTreMm) ? summary.predictedTreMm : -1,
      trueTreMm: summary.trueTreMm,
    });
    this.changed();
  }

  planReviewed(): void {
    this.act(() => this.run.planReviewed(this.t()));
  }

  /** Plans another entry: where the line from the target through a point leaves the skin. */
  entryThrough(pointInCt: Vec3): void {
    if (!this.active) return;
    if ((this.state.session?.needleState()?.insertedMm ?? 0) > 0) return this.state.cue('info', 'Withdraw the needle before changing the entry.');
    const outward = normalize(subtract(pointInCt, this.run.target.centre));
    const found = skinEntryAlong(this.state.volume!, this.run.target.centre, outward);
    if (!found.ok) return this.state.alert(`No entry along the line from the target through the crosshair (${found.reason}): put the crosshair between the target and the skin.`);
    this.plannedEntry = found.entry;
    this.state.events.emit('plan', { entry: this.plannedEntry });
  }

  /** An instructor's aid: the probe on the skin in the plane of the planned path, over the target. */
  alignProbe(): void {
    const session = this.state.session;
    if (!this.active || !session || !this.plannedEntry) return;
    const probeToCt = probeAlongPath(
      this.state.volume!,
      this.plannedEntry,
      this.run.target.centre,
      this.state.caseFile!.series.patientPosition.endsWith('P'),
      session.probeModel.sensorToFaceMm,
    );
    if (!probeToCt) return this.state.alert('Could not find the skin over the target in the plane of the path.');
    this.state.setProbe(probeToCt);
  }

  needleAtEntry(): void {
    if (!this.active || !this.plannedEntry) return this.state.alert('Start an attempt on a case with an entry point first.');
    this.state.placeNeedle(this.plannedEntry, this.run.target.centre);
  }

  /** Before the puncture, the needle turns about its tip to point at a point (the crosshair). */
  aimAt(pointInCt: Vec3): void {
    const needle = this.state.session?.needleState();
    if (!this.active || !needle) return this.state.alert('Put the needle at the entry first.');
    if (needle.insertedMm > 0) return this.state.cue('info', 'The needle is in the patient: pull it out (K) to aim it anew.');
    this.state.placeNeedle(needle.tip, pointInCt);
  }

  confirm(): void {
    this.act(() => this.run.confirm(this.t()));
  }

  colourDoppler(vesselIdsInBox: readonly string[]): void {
    if (!this.active || this.run.isDone('doppler') || this.run.vesselsToMap.length === 0) return;
    this.run.colourDoppler(this.t(), vesselIdsInBox);
    if (this.run.isDone('doppler')) this.changed();
  }

  ctPass(): void {
    if (!this.active) return this.state.alert('Start an attempt first.');
    const needle = this.state.session?.needleState();
    const inBody = needle && needle.insertedMm > 0 ? { tip: needle.tip, hub: needle.hub } : undefined;
    this.run.ctPass(this.t(), inBody);
    const passes = 1 + this.run.count('ct-pass');
    const dlp = passes * this.run.record.settings.dlpPerPassMGyCm;
    this.lastPass = {
      timeMs: this.t(),
      needle: inBody ? { ...inBody, diameterMm: gaugeDiameterMm(this.run.record.settings.needle.gauge) } : undefined,
      injectates: injectatesAt(this.injections(), this.t(), this.injectateContext()),
      passes,
      doseText: `cumulative DLP ${dlp} mGy·cm ≈ ${(dlp * this.run.record.settings.effectiveDosePerDlp).toFixed(1)} mSv`,
    };
    this.state.events.emit('ct-pass', this.lastPass);
    this.changed();
  }

  inject(): void {
    const needle = this.state.session?.needleState();
    if (!this.active || !needle) return;
    const injectate = injectateFor(this.run.target);
    const refusal = this.run.inject(this.t(), needle.tip, injectate.volumeMl, injectate.medium);
    if (refusal) return this.state.cue('info', refusal);
    this.state.cue('info', injectate.medium === 'gas' ? 'Injecting O₂/O₃: watch the gas spread on the ultrasound.' : 'Injecting: watch the fluid distend the recess.');
    // The injectate spreads while the plunger is pushed: the tracker's clock updates it meanwhile.
    this.injectingUntil = this.state.now() + Math.max(...this.injections().map((i) => injectionDurationMs(i))) + 500;
    this.updateInjectates();
    this.changed();
  }

  finish(): void {
    if (!this.active) return this.state.alert('Start an attempt first.');
    this.run.finish(this.t());
    this.injectingUntil = -Infinity;
    this.changed();
    this.state.events.emit('finished', { record: this.run.record, caseFile: this.state.caseFile! });
  }

  /** After a replay: the live attempt's probe, needle and guidance mode come back. */
  restoreLive(): void {
    const session = this.state.session;
    if (!session) return;
    const now = this.state.now();
    const probe = lastProbePose(this.run.record);
    if (probe) session.setProbe(probe, now);
    session.setNeedleMechanics(resumedNeedle(this.state.volume!, this.state.caseFile!, this.run.record), now);
    this.updateInjectates();
    this.state.setMode(this.run.mode);
    this.state.events.emit('pose', { timeMs: now });
    this.state.events.emit('needle', { timeMs: now, feedback: [] });
    this.state.refreshNavigation();
  }

  private act(action: () => string | void): void {
    if (!this.active) return this.state.alert('Start an attempt first.');
    const refusal = action();
    if (typeof refusal === 'string') this.state.cue('info', refusal);
    this.changed();
  }

  private changed(): void {
    this.emitDelta(true);
    this.state.events.emit('attempt', { run: this.run });
  }

  private emitDelta(urgent: boolean): void {
    const record = this.run.record;
    const samplesAdded = record.samples.length - this.samplesSeen;
    const events = record.events.slice(this.eventsSeen);
    this.samplesSeen = record.samples.length;
    this.eventsSeen = record.events.length;
    this.state.events.emit('session-delta', { record, samplesAdded, events, urgent: urgent || events.length > 0 });
  }

  private cueFor(event: NeedleFeedback | RunEvent): void {
    const cue = cueFor(event, (id) => this.state.caseFile?.avoid.find((a) => a.id === id)?.name ?? id);
    if (cue) this.state.cue(cue.kind, cue.text);
  }

  /** The structure nearest the inserted shaft, by the same distance the run warns with and the report's closest approach uses. */
  private updateNearest(): void {
    const needle = this.state.session?.needleState();
    if (!needle?.entry || needle.insertedMm <= 0) {
      this.nearest = undefined;
      return;
    }
    const margin = this.run.record.settings.avoidMarginMm;
    const near = shaftToStructures(needle.entry, needle.tip, this.state.caseFile!.avoid, Math.max(margin, 15))[0];
    if (!near) {
      this.nearest = undefined;
      return;
    }
    const soFar = Math.min(this.closest.get(near.structure.id) ?? Infinity, near.distanceMm);
    this.closest.set(near.structure.id, soFar);
    this.nearest = { id: near.structure.id, name: near.structure.name, distanceMm: near.distanceMm, closestSoFarMm: soFar };
  }

  private updateInjectates(): void {
    this.state.setExtraRegions(injectionAcousticRegions(this.injections(), this.t(), this.injectateContext()));
  }

  private injections() {
    return injectionsIn(this.run.record.events, Infinity, this.run.record.samples);
  }

  private injectateContext(): InjectateContext | undefined {
    const volume = this.state.volume;
    return volume ? { volume, feedbackRegions: this.state.caseFile?.feedbackRegions, avoid: this.state.caseFile?.avoid } : undefined;
  }
}
