/**
 * Composition root: creates cornerstone, the state owner, the views and the panels, and wires
 * them. Nothing else in the app creates singletons or reaches for the DOM by id.
 */
import { init as initCornerstone, utilities as cornerstoneUtilities } from '@cornerstonejs/core';
import { init as initDicomImageLoader } from '@cornerstonejs/dicom-image-loader';
import './styles.css';
import { SimulatorState } from '../core/simulation/simulatorState';
import { LoadFlow } from './loading/loadFlow';
import { wireLoadControls } from './loading/loadControls';
import { AlertBox } from './ui/alertBox';
import { renderCursorReadout } from './ui/cursorReadout';
import { OrthogonalViews } from './viewer/orthogonalViews';
import { PlanningInteraction } from './viewer/planningInteraction';
import { FusionPane } from './fusion/fusionPane';
import { RegistrationPanel } from './fusion/registrationPanel';
import { wireInstructorControls } from './fusion/instructorControls';
import { wireScannerPanel } from './fusion/scannerPanel';
import { RoomPane } from './room/roomPane';
import { ProcedureView } from './procedure/procedureView';
import { ReplayController } from './procedure/replayController';
import { SessionAutosave } from './procedure/sessionAutosave';
import { wireSessionImport } from './procedure/sessionImport';
import { wireReports } from './procedure/reportWiring';
import { CaseAuthoringPanel } from './authoring/caseAuthoringPanel';
import { installKeys, renderKeyHelp } from './input/installKeys';
import { TrackerClock } from './tracking/trackerClock';
import { onWorkspaceChange } from './ui/workspace';
import { PlanningNavigation } from './viewer/planningNavigation';
import { byId, loadFlowElements, fusionPaneElements, procedureElements, registrationElements } from './pageElements';

async function start(): Promise<void> {
  // One WebGL context for all viewports (cornerstone's default is about 10; three.js will share the page).
  initCornerstone({ rendering: { webGlContextCount: 1, preferSizeOverAccuracy: true }, debug: {} });
  // The volume is assembled by the core (cornerstone only decodes), so it has no per-slice image
  // ids: cornerstone's "No imageId found" warning would fire on every render. Errors still show.
  cornerstoneUtilities.logger.coreLog.setLevel('error');
  initDicomImageLoader({ maxWebWorkers: Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2)) });

  const state = new SimulatorState(() => performance.now());
  const alert = new AlertBox(byId('alert'));
  state.events.on('alert', ({ message }) => alert.show([message]));
  new TrackerClock(state);

  const views = new OrthogonalViews({ axial: byId<HTMLDivElement>('view-axial'), sagittal: byId<HTMLDivElement>('view-sagittal'), coronal: byId<HTMLDivElement>('view-coronal') });
  new ResizeObserver(() => views.resize()).observe(byId('views'));
  let volumeShown = state.volume;
  state.events.on('opened', ({ volume }) => (volumeShown = volume));
  const interaction = new PlanningInteraction(views, {
    onPointer: (point) => renderCursorReadout(byId('cursor-readout'), volumeShown, point),
    onWindowChange: (window) => state.setWindow(window),
    onCrosshairChange: (point) => authoring.crosshairMoved(point),
  });
  state.events.on('window', ({ window }) => (byId('window-readout').textContent = `W ${Math.round(window.width)} / L ${Math.round(window.level)}`));
  const crosshair = {
    get: () => interaction.crosshair(),
    set: (p: [number, number, number]) => interaction.setCrosshair(p),
    showStructure: (id: string) => interaction.showStructure(id),
  };

  const fusion = new FusionPane(fusionPaneElements(), state);
  onWorkspaceChange(() => {
    views.resize();
    fusion.refresh();
  });
  const navigationBar = Object.assign(document.createElement('div'), { className: 'views-navigation' });
  document.querySelector('.workspace-toggle')?.before(navigationBar);
  new PlanningNavigation(navigationBar, state, interaction);
  new RegistrationPanel(registrationElements(), state, crosshair);
  wireInstructorControls(
    { movePatientButton: byId('move-patient'), referenceSensor: byId('reference-sensor'), metalToggle: byId('metal-toggle'), trackerSettings: byId('tracker-settings') },
    state,
  );
  wireScannerPanel({ usGain: byId('us-gain'), scannerSettings: byId('scanner-settings') }, state);
  new RoomPane(byId('view-room'), state);
  installKeys(document, { state, doppler: (key, shift) => fusion.doppler.key(key, shift) });
  renderKeyHelp(byId('key-help'));

  const autosave = new SessionAutosave((message) => alert.show([message]));
  new ProcedureView(procedureElements(), state, crosshair, autosave, fusion.doppler);
  const replay = new ReplayController(
    { bar: byId('replay-bar'), play: byId('replay-play'), time: byId('replay-time'), clock: byId('replay-clock'), event: byId('replay-event'), close: byId('replay-close') },
    state,
  );
  const showReport = wireReports({ report: byId('report'), openHistory: byId('open-history') }, state, autosave, replay);

  const authoring: CaseAuthoringPanel = new CaseAuthoringPanel(byId<HTMLDetailsElement>('case-authoring'), {
    crosshair: () => interaction.crosshair(),
    setCrosshair: (point) => interaction.setCrosshair(point),
    useCase: (caseFile) => loader.useCase(caseFile),
  });
  // The room's seed: ?seed=N reproduces a session (patient pose, tracker noise); otherwise one is drawn.
  const seedParameter = Number.parseInt(new URLSearchParams(location.search).get('seed') ?? '', 10);
  const loader = new LoadFlow(
    loadFlowElements(),
    state,
    views,
    interaction,
    authoring,
    alert,
    Number.isFinite(seedParameter) ? seedParameter : Math.floor(Math.random() * 1_000_000),
  );
  wireSessionImport(byId('import-session'), {
    openCase: () => state.caseFile,
    bundledCaseIds: () => loader.bundledCases().map((c) => c.id),
    openBundled: (id, seed) => loader.loadBundled(id, seed),
    show: showReport,
    alert: (lines) => alert.show(lines),
  });
  wireLoadControls(
    {
      inputs: [byId('folder-input'), byId('files-input')],
      caseOpen: byId('case-open-button'),
      caseSelect: byId('case-select'),
      dropOverlay: byId('drop-overlay'),
      presets: document.querySelectorAll<HTMLButtonElement>('[data-preset]'),
    },
    loader,
    interaction,
    alert,
  );
  await loader.loadBundled();
}

start().catch((error: unknown) => {
  const alert = document.getElementById('alert');
  if (alert) {
    alert.hidden = false;
    alert.textContent = `The simulator could not start: ${error instanceof Error ? error.message : String(error)}. This browser may lack WebGL2; use a current Chrome, Edge or Firefox.`;
  }
});
