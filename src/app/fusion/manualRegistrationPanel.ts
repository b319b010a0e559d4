import type { Vec3 } from '../../core/geometry/vec3';
import type { NavigationSession } from '../../core/navigation/navigationSession';

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
    private readonly session: () => NavigationSession | undefined,
    private readonly crosshair: { get(): Vec3; set(p: Vec3): void },
    private readonly onRegistered: () => void,
    private readonly onAlert: (message: string) => void,
  ) {
    elements.registerButton.addEventListener('click', () => this.register());
    elements.planePointButton.addEventListener('click', () => this.registerPlanePoint());
    elements.clearButton.addEventListener('click', () => {
      this.session()?.clearManualPairs();
      this.results.clear();
      this.render();
    });
  }

  render(): void {
    const session = this.session();
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
      pick.addEventListener('click', () => {
        session!.pickOnCt(marker.id, this.crosshair.get());
        this.render();
      });
      cell(pick);
      const touch = Object.assign(document.createElement('button'), { type: 'button', textContent: pair?.touched ? 'Touched ✓' : 'Touch' });
      touch.dataset.action = 'touch';
      touch.addEventListener('click', (event) => {
        const status = session!.touchWithStylus(marker.id, performance.now(), event.shiftKey ? [10, 0, 0] : [0, 0, 0]);
        if (status !== 'ok') this.onAlert(`The stylus could not be read at ${marker.id}: ${status === 'out-of-field' ? 'it is out of the tracker field' : 'no sample from the tracker'}. Touch again.`);
        this.render();
      });
      cell(touch);
      cell(result ? `${result.residual.toFixed(2)} mm · LOO ${Number.isFinite(result.leaveOneOut) ? result.leaveOneOut.toFixed(2) : '—'}${result.outlier ? ' · outlier?' : ''}` : '');
      return row;
    });
    this.elements.pairTable.tBodies[0]!.replaceChildren(...rows);
  }

  private registerPlanePoint(): void {
    const session = this.session();
    if (!session) return this.onAlert('Plane + point registration needs a loaded case.');
    const first = [...session.manualPairs().entries()].find(([, p]) => p.ct && p.touched)?.[0];
    if (!first) return this.onAlert('Plane + point: first pick one skin marker on the CT and touch it with the stylus, and hold the probe axial.');
    const result = session.registerPlanePoint(first, performance.now());
    if ('reason' in result) return this.onAlert(`Plane + point registration refused: ${result.reason}.`);
    this.results.clear();
    this.render();
    this.onRegistered();
  }

  private register(): void {
    const session = this.session();
    if (!session) return this.onAlert('Manual registration needs a loaded case.');
    const result = session.registerManualPairs();
    if ('reason' in result) return this.onAlert(`Point-pair registration refused: ${result.reason}.`);
    this.results = new Map(result.ids.map((id, i) => [id, { residual: result.residualsMm[i]!, leaveOneOut: result.leaveOneOutMm[i]!, outlier: result.outlierIndex === i }]));
    if (result.outlierIndex !== undefined) {
      this.onAlert(`Fiducial ${result.ids[result.outlierIndex]} disagrees with the others (leave-one-out error ${result.leaveOneOutMm[result.outlierIndex]!.toFixed(1)} mm): pick and touch it again, or leave it out.`);
    }
    this.render();
    this.onRegistered();
  }
}
