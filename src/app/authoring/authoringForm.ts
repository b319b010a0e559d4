import { AVOID_KINDS } from '../../core/cases/caseDraft';

/**
 * The case-authoring panel's controls, built once: the panel fills their values from the
 * draft and listens to them. Every control has a visible label or an aria-label, so a screen
 * reader and the end-to-end tests find it by name.
 */
export interface AuthoringForm {
  readonly root: HTMLElement;
  readonly status: HTMLElement;
  readonly crosshair: HTMLElement;
  readonly start: HTMLElement;
  readonly newDraft: HTMLButtonElement;
  readonly editOpenCase: HTMLButtonElement;
  readonly editor: HTMLElement;
  readonly discard: HTMLButtonElement;
  readonly details: {
    readonly id: HTMLInputElement;
    readonly title: HTMLInputElement;
    readonly description: HTMLTextAreaElement;
    readonly patientPosition: HTMLInputElement;
    readonly seriesUid: HTMLElement;
  };
  readonly procedure: {
    readonly name: HTMLInputElement;
    readonly approach: HTMLInputElement;
    readonly probeType: HTMLSelectElement;
    readonly frequencyMHz: HTMLInputElement;
    readonly needleGauge: HTMLInputElement;
    readonly needleLengthMm: HTMLInputElement;
    readonly needleType: HTMLInputElement;
  };
  readonly target: {
    readonly name: HTMLInputElement;
    readonly priority: HTMLSelectElement;
    readonly radius: HTMLInputElement;
    readonly add: HTMLButtonElement;
    readonly list: HTMLElement;
  };
  readonly avoid: {
    readonly name: HTMLInputElement;
    readonly kind: HTMLSelectElement;
    readonly radius: HTMLInputElement;
    readonly addSphere: HTMLButtonElement;
    readonly addTubePoint: HTMLButtonElement;
    readonly finishTube: HTMLButtonElement;
    readonly cancelTube: HTMLButtonElement;
    readonly tube: HTMLElement;
    readonly list: HTMLElement;
  };
  readonly skin: { readonly diameter: HTMLInputElement; readonly snap: HTMLInputElement; readonly add: HTMLButtonElement; readonly list: HTMLElement };
  readonly marker: { readonly detect: HTMLButtonElement; readonly remove: HTMLButtonElement; readonly summary: HTMLElement };
  readonly entry: { readonly set: HTMLButtonElement; readonly clear: HTMLButtonElement; readonly summary: HTMLElement };
  readonly problems: HTMLElement;
  readonly save: HTMLButtonElement;
  readonly use: HTMLButtonElement;
  readonly exportZip: HTMLButtonElement;
}

type Props<K extends keyof HTMLElementTagNameMap> = Partial<Omit<HTMLElementTagNameMap[K], 'dataset' | 'style'>> & { readonly attrs?: Record<string, string> };

/** document.createElement with properties, attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props<K> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const { attrs, ...rest } = props;
  const node = Object.assign(document.createElement(tag), rest);
  for (const [name, value] of Object.entries(attrs ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const button = (text: string, testId: string, title?: string) => el('button', { type: 'button', textContent: text, title: title ?? '', attrs: { 'data-testid': testId } });
const labelled = (text: string, control: HTMLElement, unit?: string) => el('label', {}, `${text} `, control, ...(unit ? [` ${unit}`] : []));
const withUnit = (control: HTMLElement, unit: string) => el('span', { className: 'authoring-unit' }, control, ` ${unit}`);
const textInput = (name: string, placeholder = '') => el('input', { type: 'text', name, placeholder });
const numberInput = (name: string, value: number, step: number, ariaLabel?: string) =>
  el('input', { type: 'number', name, value: String(value), step: String(step), min: '0', className: 'number', attrs: ariaLabel ? { 'aria-label': ariaLabel } : {} });
const select = (name: string, options: readonly string[], ariaLabel: string) =>
  el('select', { name, attrs: { 'aria-label': ariaLabel } }, ...options.map((o) => el('option', { value: o, textContent: o })));

export function buildAuthoringForm(): AuthoringForm {
  const status = el('p', { className: 'authoring-status', attrs: { role: 'status', 'data-testid': 'authoring-status' } });
  const crosshair = el('p', { className: 'authoring-crosshair', attrs: { 'data-testid': 'authoring-crosshair' }, textContent: 'Crosshair: load a CT first.' });
  const newDraft = button('New draft for this CT', 'authoring-new', 'An empty case for the loaded series');
  const editOpenCase = button('Edit a copy of the loaded case', 'authoring-edit-open', 'A draft that starts as a copy of the case opened with this CT');
  const start = el('div', { className: 'button-row' }, newDraft, editOpenCase);

  const details = {
    id: textInput('id', 'short-name-no-spaces'),
    title: textInput('title', 'e.g. Lumbar intradiscal injection, L4–L5'),
    description: el('textarea', { name: 'description', rows: 3, placeholder: 'What to reach and how, in one paragraph.' }),
    patientPosition: textInput('patientPosition', 'HFS, HFP, FFS…'),
    seriesUid: el('span', { className: 'authoring-uid' }),
  };
  const procedure = {
    name: textInput('procedureName', 'e.g. US/CT fusion-guided hip injection'),
    approach: textInput('approach', 'e.g. Anterior, in plane, from lateral'),
    probeType: select('probeType', ['curvilinear', 'linear'], 'Probe type'),
    frequencyMHz: numberInput('frequencyMHz', 3.5, 0.5, 'Probe frequency (MHz)'),
    needleGauge: numberInput('needleGauge', 22, 1, 'Needle gauge'),
    needleLengthMm: numberInput('needleLengthMm', 150, 5, 'Needle length (mm)'),
    needleType: el('input', { type: 'text', name: 'needleType', placeholder: 'spinal', attrs: { 'aria-label': 'Needle type' } }),
  };
  const target = {
    name: el('input', { type: 'text', name: 'targetName', placeholder: 'Target name', attrs: { 'aria-label': 'Target name' } }),
    priority: select('targetPriority', ['primary', 'secondary'], 'Target priority'),
    radius: numberInput('acceptanceRadiusMm', 5, 0.5, 'Acceptance radius (mm)'),
    add: button('Add target at crosshair', 'authoring-add-target'),
    list: el('ul', { className: 'authoring-list', attrs: { 'data-testid': 'authoring-targets' } }),
  };
  const avoid = {
    name: el('input', { type: 'text', name: 'avoidName', placeholder: 'Structure name', attrs: { 'aria-label': 'Structure name' } }),
    kind: select('avoidKind', AVOID_KINDS, 'Structure kind'),
    radius: numberInput('avoidRadiusMm', 5, 0.5, 'Structure radius (mm)'),
    addSphere: button('Add sphere at crosshair', 'authoring-add-sphere'),
    addTubePoint: button('Add tube point at crosshair', 'authoring-add-tube-point', 'Put the crosshair on the centre line, add a point, move along the structure, add the next'),
    finishTube: button('Finish tube', 'authoring-finish-tube'),
    cancelTube: button('Cancel tube', 'authoring-cancel-tube'),
    tube: el('p', { className: 'hint', attrs: { 'data-testid': 'authoring-tube' } }),
    list: el('ul', { className: 'authoring-list', attrs: { 'data-testid': 'authoring-avoid' } }),
  };
  const skin = {
    diameter: numberInput('skinDiameterMm', 3, 0.5, 'Skin marker diameter (mm)'),
    snap: el('input', { type: 'checkbox', name: 'snap', checked: true }),
    add: button('Add skin marker at crosshair', 'authoring-add-skin-marker'),
    list: el('ul', { className: 'authoring-list', attrs: { 'data-testid': 'authoring-skin-markers' } }),
  };
  const marker = {
    detect: button('Find the external marker', 'authoring-detect-marker', "Finds the simulator's 5-bead marker among the CT's bright blobs"),
    remove: button('Remove marker', 'authoring-remove-marker'),
    summary: el('p', { className: 'hint', attrs: { 'data-testid': 'authoring-marker' } }),
  };
  const entry = {
    set: button('Suggested entry at crosshair', 'authoring-set-entry'),
    clear: button('Clear entry', 'authoring-clear-entry'),
    summary: el('p', { className: 'hint', attrs: { 'data-testid': 'authoring-entry' } }),
  };
  const problems = el('div', { className: 'authoring-problems', hidden: true, attrs: { role: 'alert', 'data-testid': 'authoring-problems' } });
  const save = button('Save case.json', 'authoring-save');
  const use = button('Use this case now', 'authoring-use');
  const exportZip = button('Export zip', 'authoring-export', 'case.json and the DICOM files of this series, in one zip');
  const discard = button('Discard draft', 'authoring-discard', 'Deletes this draft from the browser');

  const fieldset = (legend: string, ...children: (Node | string)[]) => el('fieldset', { className: 'authoring-group' }, el('legend', { textContent: legend }), ...children);
  const row = (...children: (Node | string)[]) => el('div', { className: 'authoring-row' }, ...children);
  const editor = el(
    'div',
    { hidden: true, className: 'authoring-editor' },
    fieldset(
      'Case',
      labelled('Id', details.id),
      labelled('Title', details.title),
      labelled('Description', details.description),
      labelled('Patient position', details.patientPosition),
      el('span', { className: 'hint' }, 'Series ', details.seriesUid),
    ),
    fieldset(
      'Procedure',
      labelled('Name', procedure.name),
      labelled('Approach', procedure.approach),
      row(labelled('Probe', procedure.probeType), withUnit(procedure.frequencyMHz, 'MHz')),
      row(labelled('Needle', procedure.needleGauge, 'G'), withUnit(procedure.needleLengthMm, 'mm'), procedure.needleType),
    ),
    fieldset('Targets', row(target.name, target.priority), row(labelled('within', target.radius, 'mm'), target.add), target.list),
    fieldset(
      'Structures to avoid',
      row(avoid.name, avoid.kind),
      row(labelled('radius', avoid.radius, 'mm'), avoid.addSphere),
      row(avoid.addTubePoint, avoid.finishTube, avoid.cancelTube),
      avoid.tube,
      avoid.list,
    ),
    fieldset(
      'Fiducials',
      row(labelled('diameter', skin.diameter, 'mm'), labelled('snap to bead', skin.snap)),
      row(skin.add),
      skin.list,
      row(marker.detect, marker.remove),
      marker.summary,
    ),
    fieldset('Suggested entry', row(entry.set, entry.clear), entry.summary),
    problems,
    el('div', { className: 'button-row authoring-actions' }, save, use, exportZip),
    el('div', { className: 'button-row' }, discard),
  );
  const intro = el('p', {
    className: 'hint',
    textContent:
      'Write a case.json for the CT on screen: items are placed at the crosshair of the planning views (click a view to move it). Every edit is kept in this browser, per series; nothing is sent anywhere.',
  });
  const root = el('div', { className: 'authoring-body' }, intro, status, crosshair, start, editor);
  return { root, status, crosshair, start, newDraft, editOpenCase, editor, discard, details, procedure, target, avoid, skin, marker, entry, problems, save, use, exportZip };
}
