import type { Vec3 } from '../../core/geometry/vec3';
import { planPath } from '../../core/planning/planPath';
import type { GuidanceMode, SessionRecord } from '../../core/rehearsal/sessionRecord';
import type { SimulatorState } from '../../core/simulation/simulatorState';
import { vesselsInBox } from '../../core/ultrasound/colorDoppler';
import { CtPassView } from './ctPassView';
import { FeedbackCues } from './feedbackCues';
import { needleOptions } from './needleChoices';
import type { ProcedureElements } from './procedureElements';
import { renderChecklist, renderPlan } from './procedurePanel';
import { inPlaneCueText, renderReadouts } from './procedureReadouts';
import { offerResume } from './resumeBanner';
import { setEnabled } from '../ui/setEnabled';
import { throttled } from '../ui/throttled';
import type { SessionAutosave } from './sessionAutosave';
import type { ColourDopplerController } from '../fusion/colourDopplerController';

export type { ProcedureElements } from './procedureElements';

/**
 * The rehearsal panel, drawn from the state: target, guidance and needle, the checklist, the
 * planned path, the needle readouts (in the frame each names), feedback cues, the CT-pass viewer
 * and the resume banner. Its buttons send commands to the state's attempt.
 */
export class ProcedureView {
  private readonly cues: FeedbackCues;
  private readonly ctPassView: CtPassView;
  private readonly cueLine: HTMLElement;

  constructor(
    private readonly elements: ProcedureElements,
    private readonly state: SimulatorState,
    private readonly crosshair: { get(): Vec3; set(p: Vec3): void; showStructure(id: string): void },
    private readonly autosave: SessionAutosave,
    doppler: ColourDopplerController,
  ) {
    this.cues = new FeedbackCues(elements.feedback, elements.warning, elements.sound, elements.rumble);
    this.ctPassView = new CtPassView(elements.ctPassView);
    this.cueLine = Object.assign(document.createElement('p'), { className: 'in-plane-cue' });
    this.cueLine.setAttribute('data-testid', 'in-plane-cue');
    elements.inPlane.closest('dl, div, p')?.after(this.cueLine);
    const attempt = () => state.attempt;
    elements.start.addEventListener('click', () => this.start());
    elements.planReviewed.addEventListener('click', () => attempt()?.planReviewed());
    elements.entryAtCrosshair.addEventListener('click', () => attempt()?.entryThrough(crosshair.get()));
    elements.alignProbe.addEventListener('click', () => attempt()?.alignProbe());
    elements.needleAtEntry.addEventListener('click', () => attempt()?.needleAtEntry());
    elements.aimAtCrosshair.addEventListener('click', () => attempt()?.aimAt(crosshair.get()));
    elements.confirm.addEventListener('click', () => attempt()?.confirm());
    elements.inject.addEventListener('click', () => attempt()?.inject());
    elements.ctPass.addEventListener('click', () => attempt()?.ctPass());
    elements.finish.addEventListener('click', () => attempt()?.finish());
    elements.ctPassClose.addEventListener('click', () => (elements.ctPassPanel.hidden = true));
    elements.mode.addEventListener('change', () => state.setMode(elements.mode.value as GuidanceMode));
    elements.target.addEventListener('change', () => this.renderPlan());
    // The hip technique's vessel mapping: colour Doppler on with the femoral vessels in the box.
    doppler.onFrame((frame, model) => attempt()?.colourDoppler(vesselsInBox(frame, model.mmPerPixel)));

    const events = state.events;
    events.on('opened', ({ caseFile, session, reason }) => {
      elements.target.replaceChildren(
        ...(caseFile?.targets ?? []).map((t) =>
          Object.assign(document.createElement('option'), { value: t.id, textContent: `${t.name}${t.priority === 'secondary' ? ' (secondary)' : ''}` }),
        ),
      );
      elements.needle.replaceChildren(...needleOptions(caseFile?.procedure.needle));
      this.lockSetup(false, session ? undefined : `${reason ?? 'No case'}.`);
      elements.controls.hidden = true;
      elements.ctPassPanel.hidden = true;
      elements.checklist.replaceChildren();
      this.cues.clear();
      this.cueLine.textContent = '';
      this.renderPlan();
      void offerResume(elements, autosave, caseFile?.id, (saved) => this.start(saved));
    });
    // The checklist's DOM is rebuilt only when an event was recorded (a step can change only then).
    let eventsShown = -1;
    events.on('attempt', ({ run }) => {
      if (!run) return;
      if (run.record.events.length !== eventsShown) {
        eventsShown = run.record.events.length;
        renderChecklist(elements.checklist, run);
      }
      this.renderReadouts();
    });
    events.on(
      'navigation',
      throttled(() => this.renderReadouts(), 100),
    );
    events.on('cue', ({ kind, text }) => this.cues.cue(kind, text));
    events.on('plan', () => this.renderPlan());
    events.on('ct-pass', (pass) => {
      if (!state.volume) return;
      this.ctPassView.show(state.volume, pass.needle, pass.injectates, state.window, pass.passes, pass.doseText);
      elements.ctPassPanel.hidden = false;
    });
    events.on('session-delta', ({ record, urgent }) => autosave.save(record, urgent));
    events.on('finished', ({ record }) => {
      this.lockSetup(false);
      void autosave.finish(record);
    });
    events.on('mode', ({ mode }) => {
      if (elements.mode.value !== mode) elements.mode.value = mode;
    });
    // Nothing the user made is lost: the attempt is saved as the page goes away.
    addEventListener('pagehide', () => void autosave.flush());
  }

  /** Starts an attempt (or resumes a saved one) with the panel's choices. */
  start(resume?: SessionRecord): void {
    const [gauge, lengthMm] = this.elements.needle.value.split('/').map(Number);
    const attempt = this.state.startAttempt(
      {
        targetId: this.elements.target.value,
        mode: this.elements.mode.value as GuidanceMode,
        needle: { gauge: gauge || 22, lengthMm: lengthMm || 150 },
        dlpPerPassMGyCm: Number.parseFloat(this.elements.dlpPerPass.value),
        avoidMarginMm: Number.parseFloat(this.elements.avoidMargin.value),
      },
      resume,
    );
    if (!attempt) return;
    const run = attempt.run;
    this.elements.mode.value = run.mode;
    this.elements.target.value = run.target.id;
    this.elements.needle.value = `${run.record.settings.needle.gauge}/${run.record.settings.needle.lengthMm}`;
    this.lockSetup(true);
    this.elements.controls.hidden = false;
    this.elements.ctPassPanel.hidden = true;
    this.cues.clear();
    this.renderPlan();
    renderChecklist(this.elements.checklist, run);
    this.renderReadouts();
  }

  /** One attempt at a time: its target, guidance and needle are fixed until it is finished. */
  private lockSetup(locked: boolean, reason?: string): void {
    for (const control of [this.elements.mode, this.elements.target, this.elements.needle])
      setEnabled(control, !locked, 'Fixed while an attempt runs: finish it to choose another');
    const startable = !locked && !reason && this.state.session !== undefined;
    setEnabled(
      this.elements.start,
      startable,
      locked ? 'Finish the attempt that is running first' : (reason ?? 'Open a case with a target, an entry and an external marker first'),
    );
  }

  private renderReadouts(): void {
    const attempt = this.state.attempt;
    if (!attempt) return;
    renderReadouts(this.elements, this.state, attempt);
    this.cueLine.textContent = attempt.active ? inPlaneCueText(this.state) : '';
    const nearest = attempt.nearestStructure();
    // The warning follows the needle: the distance now and the closest so far (the report's closest approach); a breach's cue stays.
    if (nearest && nearest.distanceMm >= 0 && nearest.distanceMm <= attempt.run.record.settings.avoidMarginMm) {
      this.elements.warning.dataset.live = 'true';
      this.elements.warning.dataset.kind = 'warning';
      this.elements.warning.textContent = `Close to ${nearest.name}: ${nearest.distanceMm.toFixed(1)} mm now, closest ${nearest.closestSoFarMm.toFixed(1)} mm.`;
    } else if (this.elements.warning.dataset.live === 'true' && !(nearest && nearest.distanceMm < 0)) {
      delete this.elements.warning.dataset.live;
      this.elements.warning.textContent = '';
    }
  }

  private renderPlan(): void {
    const { volume, caseFile } = this.state;
    const attempt = this.state.attempt;
    const targetId = attempt?.run.target.id ?? this.elements.target.value;
    const target = caseFile?.targets.find((t) => t.id === targetId);
    const entry = attempt?.plannedEntry ?? caseFile?.procedure.suggestedEntry;
    if (!volume || !caseFile || !target || !entry) {
      this.elements.planBox.hidden = true;
      return;
    }
    this.elements.planBox.hidden = false;
    renderPlan(
      this.elements.planBox,
      target,
      planPath(volume, caseFile, entry, target.centre),
      caseFile,
      (point) => this.crosshair.set(point),
      (id) => this.crosshair.showStructure(id),
    );
  }
}
