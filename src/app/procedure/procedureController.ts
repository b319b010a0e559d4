import type { CaseFile } from '../../core/cases/caseFile';
import { vesselsInBox } from '../../core/ultrasound/colorDoppler';
import { entryForTarget } from '../../core/planning/entryForTarget';
import { addScaled, normalize, subtract, type Vec3 } from '../../core/geometry/vec3';
import { ProcedureRun, type RunEvent } from '../../core/rehearsal/procedureRun';
import { DEFAULT_SESSION_SETTINGS, type GuidanceMode, type SessionRecord } from '../../core/rehearsal/sessionRecord';
import { gaugeDiameterMm } from '../../core/tracking/needleModel';
import type { CtVolume } from '../../core/volume/ctVolume';
import type { HuWindow } from '../../core/volume/windowPresets';
import { RigidNeedle } from '../../core/needle/needleMechanics';
import type { NeedleCommandResult, NeedleFeedback } from '../../core/needle/needleFeedback';
import { planPath } from '../../core/planning/planPath';
import { skinEntryAlong } from '../../core/planning/skinEntryAlong';
import { injectatesAt, injectionAcousticRegions, injectionDurationMs } from '../../core/ctpass/injectateSpread';
import { injectateFor, injectionsIn } from '../../core/rehearsal/injections';
import { lastProbePose, resumedNeedle } from '../../core/rehearsal/resumeState';
import type { FusionController } from '../fusion/fusionController';
import { CtPassView } from './ctPassView';
import { cueFor } from './cueText';
import { probeAlongPath } from '../../core/planning/probeAlongPath';
import { FeedbackCues } from './feedbackCues';
import { renderChecklist, renderPlan } from './procedurePanel';
import { SessionAutosave } from './sessionAutosave';
import type { ProcedureElements } from './procedureElements';
import { renderReadouts } from './procedureReadouts';
import { needleOptions } from './needleChoices';
import { offerResume } from './resumeBanner';

export type { ProcedureElements } from './procedureElements';



/** Keys that steer the needle while an attempt runs: push/pull (mm) and angle changes (deg). */
const PUSH: Record<string, number> = { i: 2, k: -2 };
const TURN: Record<string, [number, number]> = { j: [-2, 0], l: [2, 0], u: [0, -2], o: [0, 2] };

/**
 * The guided rehearsal (issue 7): an attempt at a case target with a guidance mode, its
 * checklist, the planned path, the needle's mechanics and tissue feedback, CT passes, the
 * injection, and the session record that autosaves and ends in the report.
 */
export class ProcedureController {
  private run: ProcedureRun | undefined;
  private mechanics: RigidNeedle | undefined;
  private volume: CtVolume | undefined;
  private caseFile: CaseFile | undefined;
  private window: HuWindow = { width: 400, level: 40 };
  /** performance.now() at the attempt's t = 0. */
  private t0 = 0;
  private plannedEntry: Vec3 | undefined;
  private readonly cues: FeedbackCues;
  private readonly ctPassView: CtPassView;
  readonly autosave: SessionAutosave;
  private injectTimer: ReturnType<typeof setInterval> | undefined;
  private paused = false;
  private registrationSeen: unknown;

  constructor(
    private readonly elements: ProcedureElements,
    private readonly fusion: FusionController,
    private readonly crosshair: { get(): Vec3; set(p: Vec3): void },
    private readonly onAlert: (message: string) => void,
    private readonly onFinished: (record: SessionRecord, caseFile: CaseFile) => void,
  ) {
    this.cues = new FeedbackCues(elements.feedback, elements.warning, elements.sound, elements.rumble);
    this.ctPassView = new CtPassView(elements.ctPassView);
    this.autosave = new SessionAutosave(onAlert);
    elements.start.addEventListener('click', () => this.start());
    elements.planReviewed.addEventListener('click', () => this.act((run, t) => run.planReviewed(t)));
    elements.entryAtCrosshair.addEventListener('click', () => this.entryAtCrosshair());
    elements.alignProbe.addEventListener('click', () => this.alignProbe());
    elements.needleAtEntry.addEventListener('click', () => this.needleAtEntry());
    elements.aimAtCrosshair.addEventListener('click', () => this.aimAtCrosshair());
    elements.confirm.addEventListener('click', () => this.act((run, t) => run.confirm(t)));
    elements.inject.addEventListener('click', () => this.inject());
    elements.ctPass.addEventListener('click', () => this.ctPass());
    elements.finish.addEventListener('click', () => void this.finish());
    elements.ctPassClose.addEventListener('click', () => (elements.ctPassPanel.hidden = true));
    elements.mode.addEventListener('change', () => {
      if (!this.run || this.run.finished) this.fusion.setGuidanceMode(elements.mode.value as GuidanceMode);
    });
    fusion.onTruthChange(() => this.truthChanged());
    // The hip technique's vessel mapping: colour Doppler on with the femoral vessels in the box.
    fusion.onColourDoppler((frame, model) => {
      const run = this.run;
      if (!run || run.finished || this.paused || run.isDone('doppler') || run.vesselsToMap.length === 0) return;
      run.colourDoppler(this.t(), vesselsInBox(frame, model.mmPerPixel));
      if (run.isDone('doppler')) {
        this.render();
        this.autosave.save(run.record, true);
      }
    });
    // Nothing the user made is lost: the attempt is saved as the page goes away.
    addEventListener('pagehide', () => void this.autosave.flush());
  }

  /** A case was opened (or none): targets to choose, the plan from its suggested entry. */
  open(volume: CtVolume, caseFile: CaseFile | undefined): void {
    this.stop();
    this.volume = volume;
    this.caseFile = caseFile;
    this.elements.target.replaceChildren(
      ...(caseFile?.targets ?? []).map((t) => Object.assign(document.createElement('option'), { value: t.id, textContent: `${t.name}${t.priority === 'secondary' ? ' (secondary)' : ''}` })),
    );
    this.elements.start.disabled = !caseFile || !this.fusion.current();
    this.elements.needle.replaceChildren(...needleOptions(caseFile?.procedure.needle));
    this.plannedEntry = caseFile?.procedure.suggestedEntry;
    this.renderPlan();
  }

  setWindow(window: HuWindow): void {
    this.window = window;
  }

  /** While a recorded attempt replays, the live one records nothing and takes no needle keys. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused) {
      // Back to the live attempt: the needle and the probe where it left them.
      this.placeNeedleInSession();
      this.restoreProbe();
      this.fusion.refresh();
    }
  }

  /** The attempt in progress, if any. */
  current(): ProcedureRun | undefined {
    return this.run;
  }

  /** Starts an attempt (or resumes a saved one) on the open case. */
  start(resume?: SessionRecord): void {
    const caseFile = this.caseFile;
    const volume = this.volume;
    const session = this.fusion.current();
    if (!caseFile || !volume || !session) return this.onAlert('Open a case with an external marker to rehearse.');
    this.stop();
    const mode = (resume?.mode ?? this.elements.mode.value) as GuidanceMode;
    const targetId = resume?.targetId ?? this.elements.target.value;
    const [gauge, lengthMm] = (resume ? `${resume.settings.needle.gauge}/${resume.settings.needle.lengthMm}` : this.elements.needle.value).split('/').map(Number);
    if (gauge && lengthMm) session.useNeedle({ name: `${gauge} G ${lengthMm / 10} cm needle`, gauge, lengthMm });
    const settings = {
      ...DEFAULT_SESSION_SETTINGS,
      dlpPerPassMGyCm: positive(this.elements.dlpPerPass.value, DEFAULT_SESSION_SETTINGS.dlpPerPassMGyCm),
      avoidMarginMm: positive(this.elements.avoidMargin.value, DEFAULT_SESSION_SETTINGS.avoidMarginMm),
      needle: { gauge: session.needleModel.gauge, lengthMm: session.needleModel.lengthMm },
      probeId: session.probeModel.id,
    };
    const run = new ProcedureRun(caseFile, session.probeModel, { id: `attempt-${Date.now().toString(36)}`, targetId, mode, seed: session.seed, startedAt: new Date().toISOString(), settings }, resume);
    this.run = run;
    this.t0 = performance.now() - (resume ? run.lastTime() + 1 : 0);
    this.mechanics = undefined;
    this.elements.mode.value = mode;
    this.elements.target.value = targetId;
    this.lockSetup(true);
    this.elements.needle.value = `${settings.needle.gauge}/${settings.needle.lengthMm}`;
    this.elements.controls.hidden = false;
    this.fusion.setGuidanceMode(mode);
    this.fusion.setNeedleDriver((key, shift) => this.steer(key, shift));
    this.registrationSeen = session.registration();
    this.cues.clear();
    if (resume) this.restore(resume);
    else this.plannedEntry = entryForTarget(volume, caseFile, run.target);
    this.renderPlan();
    this.render();
    this.autosave.save(run.record, true);
    this.fusion.refresh();
  }

  /** The saved attempt's probe, needle and injections come back where they were. */
  private restore(record: SessionRecord): void {
    const session = this.fusion.current()!;
    this.restoreProbe();
    this.mechanics = this.volume && this.caseFile ? resumedNeedle(this.volume, this.caseFile, record) : undefined;
    this.placeNeedleInSession();
    // A registration is redone the way it was done (the room and tracker are seeded alike); its recorded figures stay in the record.
    if (record.events.some((e) => e.kind === 'registration')) session.registerWithMarker();
    this.registrationSeen = session.registration();
    this.updateInjectates();
  }

  /** The live attempt's probe pose, from its last recorded sample. */
  private restoreProbe(): void {
    const probe = this.run ? lastProbePose(this.run.record) : undefined;
    if (probe) this.fusion.current()?.setProbe(probe, performance.now());
  }

  /** One attempt at a time: its target, guidance and needle are fixed until it is finished (or discarded). */
  private lockSetup(locked: boolean): void {
    for (const control of [this.elements.mode, this.elements.target, this.elements.needle]) control.disabled = locked;
    this.elements.start.disabled = locked || !this.caseFile || !this.fusion.current();
  }

  private stop(): void {
    this.run = undefined;
    this.mechanics = undefined;
    this.fusion.setNeedleDriver(undefined);
    this.fusion.setExtraAcousticRegions([]);
    if (this.injectTimer) clearInterval(this.injectTimer);
    this.lockSetup(false);
    this.elements.controls.hidden = true;
    this.elements.ctPassPanel.hidden = true;
    this.elements.checklist.replaceChildren();
  }

  private t(): number {
    return Math.round((performance.now() - this.t0) * 10) / 10;
  }

  /** Runs an action on the attempt; a returned string is a refusal to show. */
  private act(action: (run: ProcedureRun, t: number) => string | void): void {
    const run = this.run;
    if (!run || run.finished) return this.onAlert('Start an attempt first.');
    const refusal = action(run, this.t());
    if (typeof refusal === 'string') this.cues.cue('info', refusal);
    this.render();
    this.autosave.save(run.record, true);
  }

  /** The needle keys while an attempt runs: the mechanics decide what the needle does. */
  private steer(key: string, shift: boolean): boolean {
    const run = this.run;
    const mechanics = this.mechanics;
    if (!run || !mechanics || run.finished || this.paused) return false;
    const lower = key.toLowerCase();
    let result: NeedleCommandResult;
    if (PUSH[lower] !== undefined) result = { ok: true, feedback: mechanics.advance(PUSH[lower]! * (shift ? 5 : 1)) };
    else if (TURN[lower]) result = mechanics.redirect(TURN[lower]![0], TURN[lower]![1]);
    else return false;
    if (!result.ok) {
      this.cues.cue('info', result.reason);
      return true;
    }
    this.placeNeedleInSession();
    run.needleEvents(this.t(), result.feedback);
    for (const event of result.feedback) this.cueFor(event);
    return true;
  }

  private cueFor(event: NeedleFeedback | RunEvent): void {
    const cue = cueFor(event, (id) => this.structureName(id));
    if (cue) this.cues.cue(cue.kind, cue.text);
  }

  private structureName(id: string): string {
    return this.caseFile?.avoid.find((a) => a.id === id)?.name ?? id;
  }

  /** The navigation session's needle follows the mechanics (the tracker then reports it). */
  private placeNeedleInSession(): void {
    const session = this.fusion.current();
    const state = this.mechanics?.state();
    if (!session || !state) return;
    session.placeNeedle(state.tip, addScaled(state.tip, state.direction, 10), performance.now());
  }

  /** Every change of the truth (probe, needle, registration): record it and update the readouts. */
  private truthChanged(): void {
    const run = this.run;
    const session = this.fusion.current();
    if (!run || !session || run.finished || this.paused) return;
    const t = this.t();
    const summary = session.registration();
    if (summary && summary !== this.registrationSeen) {
      this.registrationSeen = summary;
      run.registered(t, { method: summary.method, freMm: summary.freMm, predictedTreMm: Number.isFinite(summary.predictedTreMm) ? summary.predictedTreMm : -1, trueTreMm: summary.trueTreMm });
    }
    const state = this.mechanics?.state();
    const probe = session.probe();
    const image = session.trueImageToCt();
    const events = run.update(t, { ...(probe ? { probeToCt: probe } : {}), ...(image ? { imageToCt: image, probeModel: session.probeModel } : {}), ...(state ? { needle: { tip: state.tip, hub: state.hub, insertedMm: state.insertedMm } } : {}) });
    for (const event of events) this.cueFor(event);
    this.render();
    this.autosave.save(run.record, events.length > 0);
  }

  private render(): void {
    const run = this.run;
    if (!run) return;
    renderChecklist(this.elements.checklist, run);
    renderReadouts(this.elements, run, this.mechanics?.state(), this.fusion.current());
  }

  private renderPlan(): void {
    const run = this.run;
    const volume = this.volume;
    const caseFile = this.caseFile;
    const targetId = run?.target.id ?? this.elements.target.value;
    const target = caseFile?.targets.find((t) => t.id === targetId);
    if (!volume || !caseFile || !target || !this.plannedEntry) {
      this.elements.planBox.hidden = true;
      return;
    }
    this.elements.planBox.hidden = false;
    renderPlan(this.elements.planBox, target, planPath(volume, caseFile, this.plannedEntry, target.centre), caseFile, (point) => this.crosshair.set(point));
  }

  private entryAtCrosshair(): void {
    const run = this.run;
    if (!run || !this.volume) return;
    if ((this.mechanics?.state().insertedMm ?? 0) > 0) return this.cues.cue('info', 'Withdraw the needle before changing the entry.');
    const through = this.crosshair.get();
    const outward = normalize(subtract(through, run.target.centre));
    const found = skinEntryAlong(this.volume, run.target.centre, outward);
    if (!found.ok) return this.onAlert(`No entry along the line from the target through the crosshair (${found.reason}): put the crosshair between the target and the skin.`);
    this.plannedEntry = found.entry;
    this.renderPlan();
  }

  /** An instructor's aid: the probe on the skin in the plane of the planned path, over the target. */
  private alignProbe(): void {
    const run = this.run;
    const session = this.fusion.current();
    if (!run || !session || !this.plannedEntry || !this.volume || !this.caseFile) return;
    const probeToCt = probeAlongPath(this.volume, this.plannedEntry, run.target.centre, this.caseFile.series.patientPosition.endsWith('P'), session.probeModel.sensorToFaceMm);
    if (!probeToCt) return this.onAlert('Could not find the skin over the target in the plane of the path.');
    session.setProbe(probeToCt, performance.now());
    this.fusion.refresh();
  }

  private needleAtEntry(): void {
    const run = this.run;
    if (!run || !this.plannedEntry || !this.volume || !this.caseFile) return this.onAlert('Start an attempt on a case with an entry point first.');
    if ((this.mechanics?.state().insertedMm ?? 0) > 0) return this.cues.cue('info', 'The needle is in the patient: pull it out (K) before moving it to the entry.');
    const direction = normalize(subtract(run.target.centre, this.plannedEntry));
    // The tip rests on the skin at the entry, just outside it.
    const placement = { tip: addScaled(this.plannedEntry, direction, -0.5), direction };
    if (this.mechanics) {
      const aimed = this.mechanics.aim(placement.tip, placement.direction);
      if (!aimed.ok) return this.cues.cue('info', aimed.reason);
    } else this.mechanics = new RigidNeedle(this.volume, run.record.settings.needle, placement, this.caseFile.feedbackRegions ?? []);
    this.placeNeedleInSession();
    this.fusion.refresh();
  }

  /** Before the puncture, the needle turns about its tip to point at the crosshair. */
  private aimAtCrosshair(): void {
    const state = this.mechanics?.state();
    if (!this.run || !this.mechanics || !state) return this.onAlert('Put the needle at the entry first.');
    if (state.insertedMm > 0) return this.cues.cue('info', 'The needle is in the patient: pull it out (K) to aim it anew.');
    const aimed = this.mechanics.aim(state.tip, normalize(subtract(this.crosshair.get(), state.tip)));
    if (!aimed.ok) return this.cues.cue('info', aimed.reason);
    this.placeNeedleInSession();
    this.fusion.refresh();
  }

  private ctPass(): void {
    const run = this.run;
    const volume = this.volume;
    if (!run || !volume || run.finished) return this.onAlert('Start an attempt first.');
    const state = this.mechanics?.state();
    const needle = state && state.insertedMm > 0 ? { tip: state.tip, hub: state.hub } : undefined;
    run.ctPass(this.t(), needle);
    const passes = 1 + run.count('ct-pass');
    const dlp = passes * run.record.settings.dlpPerPassMGyCm;
    this.ctPassView.show(volume, needle ? { ...needle, diameterMm: gaugeDiameterMm(run.record.settings.needle.gauge) } : undefined, this.injectatesNow(), this.window, passes, `cumulative DLP ${dlp} mGy·cm ≈ ${(dlp * run.record.settings.effectiveDosePerDlp).toFixed(1)} mSv`);
    this.elements.ctPassPanel.hidden = false;
    this.render();
    this.autosave.save(run.record, true);
  }

  private inject(): void {
    const run = this.run;
    const state = this.mechanics?.state();
    if (!run || !state) return;
    const injectate = injectateFor(run.target);
    const gas = injectate.medium === 'gas';
    const refusal = run.inject(this.t(), state.tip, injectate.volumeMl, injectate.medium);
    if (refusal) return this.cues.cue('info', refusal);
    this.cues.cue('info', gas ? 'Injecting O₂/O₃: watch the gas spread on the ultrasound.' : 'Injecting: watch the fluid distend the recess.');
    // The injectate spreads while the plunger is pushed: keep the ultrasound updating meanwhile.
    if (this.injectTimer) clearInterval(this.injectTimer);
    const until = performance.now() + Math.max(...this.injections().map((i) => injectionDurationMs(i))) + 500;
    this.injectTimer = setInterval(() => {
      this.updateInjectates();
      this.fusion.refresh();
      if (performance.now() > until && this.injectTimer) clearInterval(this.injectTimer);
    }, 200);
    this.render();
    this.autosave.save(run.record, true);
  }

  /** The ultrasound shows the injectate as it has spread by now: the same region as the CT pass. */
  private updateInjectates(): void {
    this.fusion.setExtraAcousticRegions(injectionAcousticRegions(this.injections(), this.t(), this.injectateContext()));
  }

  private injections() {
    return injectionsIn(this.run?.record.events ?? [], Infinity, this.run?.record.samples ?? []);
  }

  /** The injectate fills its compartment on the loaded CT (the case's discs and capsule, walled by its structures to avoid). */
  private injectateContext() {
    return this.volume ? { volume: this.volume, feedbackRegions: this.caseFile?.feedbackRegions, avoid: this.caseFile?.avoid } : undefined;
  }

  private injectatesNow() {
    return injectatesAt(this.injections(), this.t(), this.injectateContext());
  }

  private async finish(): Promise<void> {
    const run = this.run;
    const caseFile = this.caseFile;
    if (!run || !caseFile) return this.onAlert('Start an attempt first.');
    run.finish(this.t());
    this.render();
    await this.autosave.finish(run.record);
    this.fusion.setNeedleDriver(undefined);
    this.lockSetup(false);
    this.onFinished(run.record, caseFile);
  }

  /** Offers the unfinished attempt saved in this browser, if it belongs to the open case. */
  async offerResume(): Promise<void> {
    await offerResume(this.elements, this.autosave, this.caseFile?.id, (saved) => this.start(saved));
  }
}

const positive = (text: string, fallback: number) => {
  const value = Number.parseFloat(text);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
