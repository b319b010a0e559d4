import type { Vec3 } from '../../core/geometry/vec3';
import type { SimulatorState } from '../../core/simulation/simulatorState';

export interface ManualRegistrationElements {
  readonly beadList: HTMLElement;
  readonly pairTable: HTMLTableElement;
  readonly registerButton: HTMLButtonElement;
  readonly clearButton: HTMLButtonElement;
  readonly planePointButton: HTMLButtonElement;
}

/**
 * The manual point-pair workflow: the beads found in the CT (go to one), one row per skin marker
 * (pick it at the crosshair, touch it with the stylus; Shift+Touch slips 1 cm, for teaching),
 * then the registration with its per-fiducial residuals, leave-one-out errors and outlier flag.
 */
export class ManualRegistrationPanel {
  private results = new Map<string, { residual: number; leaveOneOut: number; outlier: boolean }>();

  constructor(
    private readonly elements: ManualRegistrationElements,
    private readonly state: SimulatorState,
    private readonly crosshair: { get(): Vec3; set(p: Vec3): void },
  ) {
    elements.registerButton.addEventListener('click', () => this.register());
    elements.planePointButton.addEventListener('click', () => {
      this.results.clear();
      state.registerPlanePoint();
    });
    elements.clearButton.addEventListener('click', () => {
      this.results.clear();
      state.clearPairs();
    });
  }

  clearResults(): void {
    this.results.clear();
  }

  /** Draws the beads and the pairs of the state's session (nothing when none is open). */
  render(): void {
    const session = this.state.session;
    const format = (p: Vec3) => p.map((v) => v.toFixed(1)).join(', ');
    this.elements.beadList.replaceChildren(
      ...(session?.brightBlobs() ?? []).map((blob, i) => {
        const button = Object.assign(document.createElement('button'), { type: 'button', textContent: `Bead ${i + 1}`, title: `LPS ${format(blob.centreInCt)} mm` });
        button.dataset.lps = blob.centreInCt.join(',');
        button.addEventListener('click', () => this.crosshair.set(blob.centreInCt));
        return button;
      }),
    );
    const rows = (session?.caseFile.fiducials.skinMarkers ?? []).map((marker) => {
      const pair = session!.manualPairs().get(marker.id);
      const result = this.results.get(marker.id);
      const row = document.createElement('tr');
      row.dataset.fiducial = marker.id;
      if (result?.outlier) row.classList.add('outlier');
      const cell = (content: Node | string) => {
        const td = document.createElement('td');
        td.append(content);
        row.appendChild(td);
      };
      cell(marker.id);
      const pick = Object.assign(document.createElement('button'), { type: 'button', textContent: pair?.ct ? 'Picked ✓' : 'Pick at crosshair' });
      pick.dataset.action = 'pick';
      pick.addEventListener('click', () => this.state.pickOnCt(marker.id, this.crosshair.get()));
      cell(pick);
      const touch = Object.assign(document.createElement('button'), { type: 'button', textContent: pair?.touched ? 'Touched ✓' : 'Touch' });
      touch.dataset.action = 'touch';
      touch.addEventListener('click', (event) => this.state.touchWithStylus(marker.id, event.shiftKey ? [10, 0, 0] : [0, 0, 0]));
      cell(touch);
      cell(
        result ? `${result.residual.toFixed(2)} mm · LOO ${Number.isFinite(result.leaveOneOut) ? result.leaveOneOut.toFixed(2) : '—'}${result.outlier ? ' · outlier?' : ''}` : '',
      );
      return row;
    });
    this.elements.pairTable.tBodies[0]!.replaceChildren(...rows);
  }

  private register(): void {
    const result = this.state.registerPointPairs();
    if (!result || 'reason' in result) return;
    this.results = new Map(result.ids.map((id, k) => [id, { residual: result.residualsMm[k]!, leaveOneOut: result.leaveOneOutMm[k]!, outlier: result.outlierIndex === k }]));
    this.render();
  }
}
