import type { CaseFile } from '../../core/cases/caseFile';
import type { SimulatorState } from '../../core/simulation/simulatorState';
import { WINDOW_PRESETS } from '../../core/volume/windowPresets';
import type { AlertBox } from '../ui/alertBox';
import { renderCasePanel } from '../ui/casePanel';
import { refusalOf, renderSeriesList, type AssessedSeries } from '../ui/seriesList';
import { renderVolumeSummary } from '../ui/volumeSummary';
import type { OrthogonalViews } from '../viewer/orthogonalViews';
import type { PlanningInteraction } from '../viewer/planningInteraction';
import type { CaseAuthoringPanel } from '../authoring/caseAuthoringPanel';
import { filesOfBundledCase, listBundledCases, type BundledCase, type GivenFile } from './collectFiles';
import { loadPlannedSeries, surveyFiles, type FileSurvey } from './loadCtSeries';
import { isCaseFileCandidate, readCaseFile } from './readCaseFile';

/** Marks and measure recorded for the load benchmark (User Timing). */
const LOAD_START_MARK = 'ct-load-start';
const LOAD_MEASURE = 'ct-load';

export interface LoadFlowElements {
  readonly status: HTMLElement;
  readonly summary: HTMLElement;
  readonly warnings: HTMLElement;
  readonly seriesTable: HTMLTableElement;
  readonly identity: HTMLElement;
  readonly casePanel: HTMLElement;
  readonly caseSelect: HTMLSelectElement;
}

/**
 * Loading: files, a folder, a drop or a bundled case → the series found and refused (with reasons)
 * → the chosen series decoded through cornerstone3D → the planning views and the state (which
 * starts every other view afresh). One load at a time; a failure is a message and the previous
 * CT stays, whole.
 */
export class LoadFlow {
  private survey: FileSurvey | undefined;
  private caseFile: CaseFile | undefined;
  private loadedUid: string | undefined;
  private busy = false;
  private bundled: BundledCase[] = [];
  /** The room seed for the next case opened, when it must match a recorded session (replay, resume). */
  private seedForNext: number | undefined;

  constructor(
    private readonly elements: LoadFlowElements,
    private readonly state: SimulatorState,
    private readonly views: OrthogonalViews,
    private readonly interaction: PlanningInteraction,
    private readonly authoring: CaseAuthoringPanel,
    private readonly alert: AlertBox,
    /** The room's seed: ?seed=N reproduces a session (patient pose, tracker noise). */
    readonly seed: number,
  ) {}

  /** The series UID shown now, if any. */
  get loadedSeries(): string | undefined {
    return this.loadedUid;
  }

  bundledCases(): readonly BundledCase[] {
    return this.bundled;
  }

  /** A case authored for the loaded CT is used at once, as a loaded case would be. */
  useCase(caseFile: CaseFile): void {
    this.caseFile = caseFile;
    this.interaction.setCase(caseFile);
    if (this.state.volume) this.state.open(this.state.volume, caseFile, this.seedForNext ?? this.seed);
    renderCasePanel(this.elements.casePanel, caseFile, this.loadedUid, (p) => this.interaction.setCrosshair(p));
  }

  /** Opens a bundled case; `withSeed` reproduces a recorded session's room. */
  loadBundled(id?: string, withSeed?: number): Promise<void> {
    return this.guarded(async () => {
      this.seedForNext = withSeed;
      if (this.bundled.length === 0) {
        this.bundled = await listBundledCases();
        this.elements.caseSelect.replaceChildren(...this.bundled.map((c) => Object.assign(document.createElement('option'), { value: c.id, textContent: c.title })));
      }
      const chosen = this.bundled.find((c) => c.id === id) ?? this.bundled[0];
      if (!chosen) throw new Error('no bundled case is listed in sample-dicom/index.json; run "npm run sample"');
      this.elements.caseSelect.value = chosen.id;
      this.setStatus(`Opening the bundled case "${chosen.title}"…`);
      await this.loadFiles(await filesOfBundledCase(chosen));
    });
  }

  /** Files the user gave (input, folder, drop). */
  load(files: readonly GivenFile[]): Promise<void> {
    return this.guarded(() => this.loadFiles(files));
  }

  private setStatus(text: string): void {
    this.elements.status.textContent = text;
  }

  private async loadFiles(files: readonly GivenFile[]): Promise<void> {
    performance.clearMarks(LOAD_START_MARK);
    performance.clearMeasures(LOAD_MEASURE);
    performance.mark(LOAD_START_MARK);
    this.alert.clear();
    this.setStatus(`Reading ${files.length} files…`);
    const { caseFile, problems: caseProblems } = await readCaseFile(files);
    const survey = await surveyFiles(
      files.filter((f) => !isCaseFileCandidate(f)),
      (text) => this.setStatus(text),
    );
    performance.measure('ct-load:headers', LOAD_START_MARK);
    this.survey = survey;
    this.renderSeries();
    const problems = [...caseProblems, ...survey.fileProblems];
    for (const s of survey.series.filter((s) => refusalOf(s)))
      problems.push(`Series "${s.candidate.description}" (${s.candidate.modality}, ${s.candidate.headers.length} files) cannot be loaded: ${refusalOf(s)}.`);
    if (!survey.automaticChoice) {
      this.setStatus('');
      this.alert.show([
        ...problems,
        ...survey.fileNotes,
        survey.series.length === 0 ? 'No DICOM series was found. Choose the folder that holds the CT slices.' : 'No CT series here can be loaded. Choose another folder or files.',
      ]);
      return;
    }
    // Skipped non-DICOM files are a note, not an error; with real problems both show, as an error.
    if (problems.length > 0) this.alert.show([...problems, ...survey.fileNotes]);
    else this.alert.note(survey.fileNotes);
    await this.loadSeries(survey.automaticChoice, problems, caseFile);
  }

  private async loadChosen(entry: AssessedSeries): Promise<void> {
    performance.mark(LOAD_START_MARK);
    this.alert.clear();
    // Another series of the same files: the case file read with them still belongs to them.
    await this.loadSeries(entry, [], this.caseFile);
  }

  private async loadSeries(entry: AssessedSeries, problems: readonly string[], caseFile: CaseFile | undefined): Promise<void> {
    const survey = this.survey!;
    const plan = entry.plan?.ok ? entry.plan.plan : undefined;
    if (!plan) return;
    try {
      performance.mark('ct-decode-start');
      const loaded = await loadPlannedSeries(plan, survey.sourceOf, (text) => this.setStatus(text));
      performance.measure('ct-load:decode', 'ct-decode-start');
      performance.mark('ct-display-start');
      const window = WINDOW_PRESETS['soft-tissue'];
      await this.views.show(loaded.volume, window);
      performance.measure('ct-load:display', 'ct-display-start');
      // A case file travels with its series: a new load replaces the case, or clears it.
      this.caseFile = caseFile;
      this.loadedUid = plan.seriesInstanceUid;
      this.interaction.volumeShown(loaded.volume, window);
      performance.measure(LOAD_MEASURE, LOAD_START_MARK);
      renderVolumeSummary(this.elements.summary, this.elements.warnings, loaded.volume, {
        sliceCount: plan.slices.length,
        patientPosition: plan.slices[0]?.header.patientPosition,
      });
      this.elements.identity.hidden = loaded.identityNotice === undefined;
      this.elements.identity.textContent = loaded.identityNotice ?? '';
      this.setStatus(`Loaded ${entry.candidate.description} (${plan.geometry.dimensions.join(' × ')}).`);
      this.interaction.setCase(caseFile);
      this.state.open(loaded.volume, caseFile, this.seedForNext ?? this.seed);
      this.state.setWindow(window);
      // Open on the primary target: that is where the rehearsal starts.
      const firstTarget = caseFile?.targets.find((t) => t.priority === 'primary');
      if (firstTarget) this.interaction.setCrosshair(firstTarget.centre);
      renderCasePanel(this.elements.casePanel, caseFile, this.loadedUid, (p) => this.interaction.setCrosshair(p));
      this.authoring.seriesLoaded(loaded.volume, plan, survey.sourceOf, caseFile);
      document.body.dataset.loaded = plan.seriesInstanceUid;
    } catch (error) {
      console.error(error);
      this.setStatus('');
      this.alert.show([
        ...problems,
        `Could not load the series "${entry.candidate.description}": ${error instanceof Error ? error.message : String(error)}.`,
        this.state.volume ? 'The previous volume is still shown; you can load another series.' : 'You can load another series.',
      ]);
    }
    this.renderSeries();
  }

  private renderSeries(): void {
    if (this.survey) renderSeriesList(this.elements.seriesTable, this.survey.series, this.loadedUid, (other) => void this.guarded(() => this.loadChosen(other)));
  }

  /** One load at a time; any unexpected failure becomes a message, never a dead page. */
  private async guarded(work: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    document.body.dataset.busy = 'true';
    try {
      await work();
    } catch (error) {
      this.alert.show([`Loading failed: ${error instanceof Error ? error.message : String(error)}. You can load another series.`]);
      this.setStatus('');
    } finally {
      this.busy = false;
      delete document.body.dataset.busy;
    }
  }
}
