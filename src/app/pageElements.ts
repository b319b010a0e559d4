import type { FusionPaneElements } from './fusion/fusionPane';
import type { RegistrationPanelElements } from './fusion/registrationPanel';
import type { ProcedureElements } from './procedure/procedureElements';
import type { LoadFlowElements } from './loading/loadFlow';

/** An element of index.html by id; a missing one is a broken page, said at start-up. */
export const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`index.html has no #${id}`);
  return element as T;
};

const byTestId = <T extends HTMLElement>(root: ParentNode, testId: string): T => {
  const element = root.querySelector<T>(`[data-testid="${testId}"]`);
  if (!element) throw new Error(`index.html has no [data-testid="${testId}"]`);
  return element;
};

/** The fused pair's elements inside a container (the page's fusion tile by default): another container makes another pane. */
export function fusionPaneElements(root: ParentNode = document): FusionPaneElements {
  return {
    tile: byTestId(root, 'fusion-view'),
    canvas: byTestId(root, 'fusion-canvas'),
    status: byTestId(root, 'fusion-status'),
    usCanvas: byTestId(root, 'us-canvas'),
    usPreparing: byTestId(root, 'us-preparing'),
    overlayOpacity: byTestId(root, 'overlay-opacity'),
    overlayColour: byTestId(root, 'overlay-colour'),
    dopplerButton: byTestId(root, 'doppler-toggle'),
    dopplerScale: byTestId(root, 'doppler-scale'),
  };
}

export function registrationElements(): RegistrationPanelElements {
  return {
    registerButton: byId('register-marker'),
    probeButton: byId('probe-over-target'),
    needleButton: byId('needle-at-entry'),
    fre: byTestId(document, 'registration-fre'),
    tre: byTestId(document, 'registration-tre'),
    trueTre: byTestId(document, 'registration-true-tre'),
    manual: {
      beadList: byId('bead-list'),
      pairTable: byId('pair-table'),
      registerButton: byId('register-pairs'),
      clearButton: byId('clear-pairs'),
      planePointButton: byId('plane-point'),
    },
  };
}

export function procedureElements(): ProcedureElements {
  return {
    target: byId('attempt-target'),
    mode: byId('attempt-mode'),
    needle: byId('attempt-needle'),
    start: byId('attempt-start'),
    checklist: byId('checklist'),
    planBox: byId('plan-box'),
    controls: byId('attempt-controls'),
    entryAtCrosshair: byId('plan-entry-crosshair'),
    planReviewed: byId('plan-reviewed'),
    alignProbe: byId('align-probe'),
    needleAtEntry: byId('needle-at-plan'),
    aimAtCrosshair: byId('aim-crosshair'),
    confirm: byId('confirm-tip'),
    inject: byId('inject'),
    ctPass: byId('ct-pass'),
    finish: byId('finish-attempt'),
    tipToTarget: byTestId(document, 'tip-to-target'),
    depth: byTestId(document, 'needle-depth'),
    inPlane: byTestId(document, 'needle-in-plane'),
    ctPasses: byTestId(document, 'ct-passes'),
    feedback: byId('needle-feedback'),
    warning: byId('needle-warning'),
    sound: byId('feedback-sound'),
    rumble: byId('feedback-rumble'),
    dlpPerPass: byId('dlp-per-pass'),
    avoidMargin: byId('avoid-margin'),
    ctPassPanel: byId('ctpass-panel'),
    ctPassView: byId('ctpass-view'),
    ctPassClose: byId('ctpass-close'),
    resumeBanner: byId('resume-banner'),
    resumeText: byId('resume-text'),
    resumeButton: byId('resume-session'),
    discardButton: byId('discard-session'),
  };
}

export function loadFlowElements(): LoadFlowElements {
  return {
    status: byId('status'),
    summary: byId('volume-summary'),
    warnings: byId('volume-warnings'),
    seriesTable: byId('series-list'),
    identity: byId('identity-notice'),
    casePanel: byId('case-panel'),
    caseSelect: byId('case-select'),
  };
}
