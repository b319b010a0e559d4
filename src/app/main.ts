/**
 * Composition root: creates cornerstone, the views and the panels, and wires the load flow.
 * Nothing else in the app creates singletons or reaches for the DOM by id.
 */
import { init as initCornerstone } from '@cornerstonejs/core';
import { init as initDicomImageLoader } from '@cornerstonejs/dicom-image-loader';
import './styles.css';
import type { Vec3 } from '../core/geometry/vec3';
import type { CtVolume } from '../core/volume/ctVolume';
import { isWindowPresetName, WINDOW_PRESETS, type HuWindow } from '../core/volume/windowPresets';
import { filesFromDrop, filesFromInput, filesOfBundledCase, listBundledCases, type GivenFile } from './loading/collectFiles';
import { loadPlannedSeries, surveyFiles, type FileSurvey } from './loading/loadCtSeries';
import { isCaseFileCandidate, readCaseFile } from './loading/readCaseFile';
import { renderCasePanel } from './ui/casePanel';
import type { CaseFile } from '../core/cases/caseFile';
import type { BundledCase } from './loading/collectFiles';
import { AlertBox } from './ui/alertBox';
import { renderCursorReadout } from './ui/cursorReadout';
import { refusalOf, renderSeriesList, type AssessedSeries } from './ui/seriesList';
import { renderVolumeSummary } from './ui/volumeSummary';
import { OrthogonalViews } from './viewer/orthogonalViews';
import { PlanningInteraction } from './viewer/planningInteraction';
import { FusionController } from './fusion/fusionController';
import { ProcedureController } from './procedure/procedureController';
import { ReplayController } from './procedure/replayController';
import { ReportView } from './procedure/reportView';
import { renderHistory } from './procedure/historyView';
import { validateSessionRecord } from '../core/rehearsal/validateSessionRecord';
import type { SessionRecord } from '../core/rehearsal/sessionRecord';
import { CaseAuthoringPanel } from './authoring/caseAuthoringPanel';

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`index.html has no #${id}`);
  return element as T;
};

/** Marks and measure recorded for the load benchmark (User Timing). */
const LOAD_START_MARK = 'ct-load-start';
const LOAD_MEASURE = 'ct-load';

interface AppState {
  volume: CtVolume | undefined;
  caseFile: CaseFile | undefined;
  survey: FileSurvey | undefined;
  loadedUid: string | undefined;
  busy: boolean;
  /** The room seed for the next case opened, when it must match a recorded session. */
  seed?: number | undefined;
}

async function start(): Promise<void> {
  // One WebGL context for all viewports (cornerstone's default is about 10; three.js will share the page).
  initCornerstone({ rendering: { webGlContextCount: 1, preferSizeOverAccuracy: true }, debug: {} });
  initDicomImageLoader({ maxWebWorkers: Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2)) });

  const alert = new AlertBox(byId('alert'));
  const status = byId('status');
  const summary = byId('volume-summary');
  const warnings = byId('volume-warnings');
  const seriesTable = byId<HTMLTableElement>('series-list');
  const cursorReadout = byId('cursor-readout');
  const windowReadout = byId('window-readout');
  const identity = byId('identity-notice');
  const casePanel = byId('case-panel');
  const caseSelect = byId<HTMLSelectElement>('case-select');
  const state: AppState = { volume: undefined, caseFile: undefined, survey: undefined, loadedUid: undefined, busy: false };

  const views = new OrthogonalViews({
    axial: byId<HTMLDivElement>('view-axial'),
    sagittal: byId<HTMLDivElement>('view-sagittal'),
    coronal: byId<HTMLDivElement>('view-coronal'),
  });
  // The room's seed: ?seed=N reproduces a session (patient pose, tracker noise); otherwise one is drawn.
  const seedParameter = Number.parseInt(new URLSearchParams(location.search).get('seed') ?? '', 10);
  const seed = Number.isFinite(seedParameter) ? seedParameter : Math.floor(Math.random() * 1_000_000);
  const fusion = new FusionController(
    {
      tile: byId('view-fusion'),
      canvas: byId<HTMLCanvasElement>('fusion-canvas'),
      status: byId('fusion-status'),
      registerButton: byId<HTMLButtonElement>('register-marker'),
      probeButton: byId<HTMLButtonElement>('probe-over-target'),
      fre: document.querySelector<HTMLElement>('[data-testid="registration-fre"]')!,
      tre: document.querySelector<HTMLElement>('[data-testid="registration-tre"]')!,
      trueTre: document.querySelector<HTMLElement>('[data-testid="registration-true-tre"]')!,
      manual: {
        beadList: byId('bead-list'),
        pairTable: byId<HTMLTableElement>('pair-table'),
        registerButton: byId<HTMLButtonElement>('register-pairs'),
        clearButton: byId<HTMLButtonElement>('clear-pairs'),
        planePointButton: byId<HTMLButtonElement>('plane-point'),
      },
      movePatientButton: byId<HTMLButtonElement>('move-patient'),
      referenceSensor: byId<HTMLInputElement>('reference-sensor'),
      metalToggle: byId<HTMLInputElement>('metal-toggle'),
      room: byId('view-room'),
      needleButton: byId<HTMLButtonElement>('needle-at-entry'),
      trackerSettings: byId<HTMLFieldSetElement>('tracker-settings'),
      usCanvas: byId<HTMLCanvasElement>('us-canvas'),
      overlayOpacity: byId<HTMLInputElement>('overlay-opacity'),
      overlayColour: byId<HTMLSelectElement>('overlay-colour'),
      usGain: byId<HTMLInputElement>('us-gain'),
      usPreparing: byId<HTMLElement>('us-preparing'),
      scannerSettings: byId<HTMLFieldSetElement>('scanner-settings'),
      dopplerButton: byId<HTMLButtonElement>('doppler-toggle'),
      dopplerScale: byId<HTMLInputElement>('doppler-scale'),
    },
    (message) => alert.show([message]),
    seed,
    { get: () => interaction.crosshair(), set: (p) => interaction.setCrosshair(p) },
  );
  const crosshairAccess = { get: () => interaction.crosshair(), set: (p: Vec3) => interaction.setCrosshair(p) };
  const replay = new ReplayController(
    { bar: byId('replay-bar'), play: byId<HTMLButtonElement>('replay-play'), time: byId<HTMLInputElement>('replay-time'), clock: byId('replay-clock'), event: byId('replay-event'), close: byId<HTMLButtonElement>('replay-close') },
    fusion,
    (active) => procedure.setPaused(active),
  );
  const report = new ReportView(byId('report'), (record) => replay.open(record));
  const showReport = async (record: SessionRecord, caseFile: CaseFile) => {
    const earlier = await procedure.autosave.history().catch(() => []);
    report.show(record, caseFile, earlier);
  };
  const procedure = new ProcedureController(
    {
      target: byId<HTMLSelectElement>('attempt-target'),
      mode: byId<HTMLSelectElement>('attempt-mode'),
      needle: byId<HTMLSelectElement>('attempt-needle'),
      start: byId<HTMLButtonElement>('attempt-start'),
      checklist: byId<HTMLOListElement>('checklist'),
      planBox: byId('plan-box'),
      controls: byId('attempt-controls'),
      entryAtCrosshair: byId<HTMLButtonElement>('plan-entry-crosshair'),
      planReviewed: byId<HTMLButtonElement>('plan-reviewed'),
      alignProbe: byId<HTMLButtonElement>('align-probe'),
      needleAtEntry: byId<HTMLButtonElement>('needle-at-plan'),
      aimAtCrosshair: byId<HTMLButtonElement>('aim-crosshair'),
      confirm: byId<HTMLButtonElement>('confirm-tip'),
      inject: byId<HTMLButtonElement>('inject'),
      ctPass: byId<HTMLButtonElement>('ct-pass'),
      finish: byId<HTMLButtonElement>('finish-attempt'),
      tipToTarget: document.querySelector<HTMLElement>('[data-testid="tip-to-target"]')!,
      depth: document.querySelector<HTMLElement>('[data-testid="needle-depth"]')!,
      inPlane: document.querySelector<HTMLElement>('[data-testid="needle-in-plane"]')!,
      ctPasses: document.querySelector<HTMLElement>('[data-testid="ct-passes"]')!,
      feedback: byId('needle-feedback'),
      warning: byId('needle-warning'),
      sound: byId<HTMLInputElement>('feedback-sound'),
      rumble: byId<HTMLInputElement>('feedback-rumble'),
      dlpPerPass: byId<HTMLInputElement>('dlp-per-pass'),
      avoidMargin: byId<HTMLInputElement>('avoid-margin'),
      ctPassPanel: byId('ctpass-panel'),
      ctPassView: byId('ctpass-view'),
      ctPassClose: byId<HTMLButtonElement>('ctpass-close'),
      resumeBanner: byId('resume-banner'),
      resumeText: byId('resume-text'),
      resumeButton: byId<HTMLButtonElement>('resume-session'),
      discardButton: byId<HTMLButtonElement>('discard-session'),
    },
    fusion,
    crosshairAccess,
    (message) => alert.show([message]),
    (record, caseFile) => void showReport(record, caseFile),
  );
  byId('open-history').addEventListener('click', () => void showHistory());
  const showHistory = async () => {
    const all = await procedure.autosave.history().catch(() => []);
    renderHistory(byId('report'), all, state.caseFile, (record) => state.caseFile && void showReport(record, state.caseFile), (record) => replay.open(record));
  };
  const importInput = byId<HTMLInputElement>('import-session');
  importInput.addEventListener('change', () => {
    const file = importInput.files?.[0];
    importInput.value = '';
    if (!file) return;
    void file.text().then(async (text) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return alert.show([`${file.name} is not JSON: choose a session file exported from the report (.session.json).`]);
      }
      const checked = validateSessionRecord(parsed);
      if (!checked.ok) return alert.show([`${file.name} is not a session this simulator can read:`, ...checked.errors.slice(0, 8)]);
      if (checked.record.caseId !== state.caseFile?.id) {
        if (!bundledCases.some((c) => c.id === checked.record.caseId)) return alert.show([`${file.name} was recorded on the case "${checked.record.caseId}": open that case (its CT and case.json) first, then import again.`]);
        await loadBundled(checked.record.caseId, checked.record.seed);
      }
      if (state.caseFile) await showReport(checked.record, state.caseFile);
    });
  });
  const showWindow = (window: HuWindow) => {
    windowReadout.textContent = `W ${Math.round(window.width)} / L ${Math.round(window.level)}`;
    fusion.setWindow(window);
    procedure.setWindow(window);
  };
  const interaction = new PlanningInteraction(views, {
    onPointer: (point: Vec3 | undefined) => renderCursorReadout(cursorReadout, state.volume, point),
    onWindowChange: showWindow,
    onCrosshairChange: (point: Vec3) => authoring.crosshairMoved(point),
  });
  new ResizeObserver(() => views.resize()).observe(byId('views'));
  // Case authoring: drafts placed at the crosshair; "Use this case now" opens the draft as a loaded case would be.
  const authoring = new CaseAuthoringPanel(byId<HTMLDetailsElement>('case-authoring'), {
    crosshair: () => interaction.crosshair(),
    setCrosshair: (point) => interaction.setCrosshair(point),
    useCase: (caseFile) => {
      state.caseFile = caseFile;
      interaction.setCase(caseFile);
      if (state.volume) {
        fusion.open(state.volume, caseFile, state.seed ?? seed);
        procedure.open(state.volume, caseFile);
      }
      renderCasePanel(casePanel, caseFile, state.loadedUid, crosshairAccess.set);
    },
  });

  const setStatus = (text: string) => (status.textContent = text);

  const loadSeries = async (entry: AssessedSeries, problems: readonly string[]) => {
    const survey = state.survey!;
    const plan = entry.plan?.ok ? entry.plan.plan : undefined;
    if (!plan) return;
    try {
      performance.mark('ct-decode-start');
      const loaded = await loadPlannedSeries(plan, survey.sourceOf, setStatus);
      performance.measure('ct-load:decode', 'ct-decode-start');
      performance.mark('ct-display-start');
      const window = WINDOW_PRESETS['soft-tissue'];
      await views.show(loaded.volume, window);
      performance.measure('ct-load:display', 'ct-display-start');
      state.volume = loaded.volume;
      state.loadedUid = plan.seriesInstanceUid;
      interaction.volumeShown(loaded.volume, window);
      showWindow(window);
      performance.measure(LOAD_MEASURE, LOAD_START_MARK);
      renderVolumeSummary(summary, warnings, loaded.volume, { sliceCount: plan.slices.length, patientPosition: plan.slices[0]?.header.patientPosition });
      identity.hidden = loaded.identityNotice === undefined;
      identity.textContent = loaded.identityNotice ?? '';
      setStatus(`Loaded ${entry.candidate.description} (${plan.geometry.dimensions.join(' × ')}).`);
      interaction.setCase(state.caseFile);
      fusion.open(loaded.volume, state.caseFile, state.seed ?? seed);
      procedure.open(loaded.volume, state.caseFile);
      void procedure.offerResume();
      // Open on the primary target: that is where the rehearsal starts.
      const firstTarget = state.caseFile?.targets.find((t) => t.priority === 'primary');
      if (firstTarget) interaction.setCrosshair(firstTarget.centre);
      renderCasePanel(casePanel, state.caseFile, state.loadedUid, crosshairAccess.set);
      authoring.seriesLoaded(loaded.volume, plan, survey.sourceOf, state.caseFile);
      document.body.dataset.loaded = plan.seriesInstanceUid;
    } catch (error) {
      console.error(error);
      setStatus('');
      alert.show([...problems, `Could not load the series "${entry.candidate.description}": ${error instanceof Error ? error.message : String(error)}.`, state.volume ? 'The previous volume is still shown; you can load another series.' : 'You can load another series.']);
    }
    renderSeriesList(seriesTable, survey.series, state.loadedUid, (other) => void guarded(() => loadChosen(other)));
  };

  const loadChosen = async (entry: AssessedSeries) => {
    performance.mark(LOAD_START_MARK);
    alert.clear();
    await loadSeries(entry, []);
  };

  const loadFiles = async (files: readonly GivenFile[]) => {
    performance.clearMarks(LOAD_START_MARK);
    performance.clearMeasures(LOAD_MEASURE);
    performance.mark(LOAD_START_MARK);
    alert.clear();
    setStatus(`Reading ${files.length} files…`);
    const { caseFile, problems: caseProblems } = await readCaseFile(files);
    const survey = await surveyFiles(files.filter((f) => !isCaseFileCandidate(f)), setStatus);
    performance.measure('ct-load:headers', LOAD_START_MARK);
    state.survey = survey;
    renderSeriesList(seriesTable, survey.series, state.loadedUid, (entry) => void guarded(() => loadChosen(entry)));
    const problems = [...caseProblems, ...survey.fileProblems];
    const refused = survey.series.filter((s) => refusalOf(s));
    for (const s of refused) problems.push(`Series "${s.candidate.description}" (${s.candidate.modality}, ${s.candidate.headers.length} files) cannot be loaded: ${refusalOf(s)}.`);
    if (!survey.automaticChoice) {
      setStatus('');
      alert.show([...problems, survey.series.length === 0 ? 'No DICOM series was found. Choose the folder that holds the CT slices.' : 'No CT series here can be loaded. Choose another folder or files.']);
      return;
    }
    alert.show(problems);
    // A case file travels with its series: a new load replaces the case, or clears it.
    state.caseFile = caseFile;
    await loadSeries(survey.automaticChoice, problems);
  };

  /** One load at a time; any unexpected failure becomes a message, never a dead page. */
  const guarded = async (work: () => Promise<void>) => {
    if (state.busy) return;
    state.busy = true;
    document.body.dataset.busy = 'true';
    try {
      await work();
    } catch (error) {
      alert.show([`Loading failed: ${error instanceof Error ? error.message : String(error)}. You can load another series.`]);
      setStatus('');
    } finally {
      state.busy = false;
      delete document.body.dataset.busy;
    }
  };

  let bundledCases: BundledCase[] = [];
  /** Opens a bundled case; `withSeed` reproduces a recorded session's room (replay, resume). */
  const loadBundled = (id?: string, withSeed?: number) => guarded(async () => {
    state.seed = withSeed;
    if (bundledCases.length === 0) {
      bundledCases = await listBundledCases();
      caseSelect.replaceChildren(...bundledCases.map((c) => Object.assign(document.createElement('option'), { value: c.id, textContent: c.title })));
    }
    const chosen = bundledCases.find((c) => c.id === id) ?? bundledCases[0];
    if (!chosen) throw new Error('no bundled case is listed in sample-dicom/index.json; run "npm run sample"');
    caseSelect.value = chosen.id;
    setStatus(`Opening the bundled case "${chosen.title}"…`);
    await loadFiles(await filesOfBundledCase(chosen));
  });

  for (const id of ['folder-input', 'files-input']) {
    const input = byId<HTMLInputElement>(id);
    input.addEventListener('change', () => {
      const files = filesFromInput(input);
      input.value = '';
      void guarded(() => loadFiles(files));
    });
  }
  byId('case-open-button').addEventListener('click', () => void loadBundled(caseSelect.value));
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
    button.addEventListener('click', () => {
      const name = button.dataset.preset ?? '';
      if (isWindowPresetName(name)) interaction.setWindow(WINDOW_PRESETS[name]);
    });
  }
  installDropZone(byId('drop-overlay'), (files) => void guarded(() => loadFiles(files)), (error) => alert.show([error]));

  await loadBundled();
}

function installDropZone(overlay: HTMLElement, onFiles: (files: GivenFile[]) => void, onError: (message: string) => void): void {
  let depth = 0;
  window.addEventListener('dragenter', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    depth++;
    overlay.hidden = false;
  });
  window.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  window.addEventListener('dragover', (event) => event.preventDefault());
  window.addEventListener('drop', (event) => {
    event.preventDefault();
    depth = 0;
    overlay.hidden = true;
    if (!event.dataTransfer) return;
    filesFromDrop(event.dataTransfer).then(onFiles, (error: unknown) => onError(`The dropped items could not be read: ${String(error)}`));
  });
}

start().catch((error: unknown) => {
  const alert = document.getElementById('alert');
  if (alert) {
    alert.hidden = false;
    alert.textContent = `The simulator could not start: ${error instanceof Error ? error.message : String(error)}. This browser may lack WebGL2; use a current Chrome, Edge or Firefox.`;
  }
});
