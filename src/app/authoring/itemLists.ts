import { AVOID_KINDS, type AvoidKind, type CaseDraft } from '../../core/cases/caseDraft';
import type { Vec3 } from '../../core/geometry/vec3';
import { el } from './authoringForm';

/** What a list row can ask of the panel. Each call is one edit (the panel applies it and autosaves). */
export interface ItemActions {
  goTo(pointInCt: Vec3): void;
  renameTarget(id: string, name: string): void;
  setTargetPriority(id: string, priority: 'primary' | 'secondary'): void;
  removeTarget(id: string): void;
  renameAvoid(id: string, name: string): void;
  setAvoidKind(id: string, kind: AvoidKind): void;
  removeAvoid(id: string): void;
  renameSkinMarker(id: string, newId: string): void;
  removeSkinMarker(id: string): void;
}

export const formatPoint = (p: Vec3): string => p.map((v) => v.toFixed(1)).join(', ');

/** Fills the three lists (targets, structures, skin markers) from the draft: a name to edit, where the item is, Go to and Remove. */
export function renderItemLists(lists: { targets: HTMLElement; avoid: HTMLElement; skinMarkers: HTMLElement }, draft: CaseDraft, actions: ItemActions): void {
  const c = draft.caseFile;
  lists.targets.replaceChildren(
    ...c.targets.map((t) =>
      item(
        nameInput(t.name, `Target ${t.id} name`, (name) => actions.renameTarget(t.id, name)),
        choice(['primary', 'secondary'], t.priority, `Target ${t.id} priority`, (p) => actions.setTargetPriority(t.id, p as 'primary' | 'secondary')),
        `${t.acceptanceRadiusMm} mm at ${formatPoint(t.centre)}`,
        t.centre,
        t.name,
        () => actions.removeTarget(t.id),
        actions,
      ),
    ),
  );
  lists.avoid.replaceChildren(
    ...c.avoid.map((a) => {
      const shape = a.shape;
      const where =
        shape.type === 'sphere'
          ? `sphere ${shape.radiusMm} mm at ${formatPoint(shape.centre)}`
          : shape.type === 'tube'
            ? `tube ${shape.radiusMm} mm, ${shape.points.length} points from ${formatPoint(shape.points[0]!)}`
            : `ellipsoid at ${formatPoint(shape.centre)}`;
      const goTo = shape.type === 'tube' ? shape.points[0]! : shape.centre;
      return item(
        nameInput(a.name, `Structure ${a.id} name`, (name) => actions.renameAvoid(a.id, name)),
        choice(AVOID_KINDS, a.kind, `Structure ${a.id} kind`, (k) => actions.setAvoidKind(a.id, k as AvoidKind)),
        where + (a.acoustic ? ` · ${a.acoustic.medium}${a.acoustic.pulsation ? ', pulsating' : ''}` : ''),
        goTo,
        a.name,
        () => actions.removeAvoid(a.id),
        actions,
      );
    }),
  );
  lists.skinMarkers.replaceChildren(
    ...c.fiducials.skinMarkers.map((m) =>
      item(
        nameInput(m.id, `Skin marker ${m.id} name`, (id) => actions.renameSkinMarker(m.id, id)),
        undefined,
        `${m.diameterMm} mm at ${formatPoint(m.centre)}`,
        m.centre,
        m.id,
        () => actions.removeSkinMarker(m.id),
        actions,
      ),
    ),
  );
}

function item(name: HTMLInputElement, option: HTMLSelectElement | undefined, where: string, point: Vec3, label: string, remove: () => void, actions: ItemActions): HTMLLIElement {
  const goTo = el('button', { type: 'button', textContent: 'Go to', title: 'Move the crosshair here', attrs: { 'aria-label': `Go to ${label}` } });
  goTo.addEventListener('click', () => actions.goTo(point));
  const removeButton = el('button', { type: 'button', textContent: 'Remove', attrs: { 'aria-label': `Remove ${label}` } });
  removeButton.addEventListener('click', remove);
  return el(
    'li',
    {},
    el('div', { className: 'authoring-row' }, name, ...(option ? [option] : [])),
    el('div', { className: 'authoring-row' }, el('span', { className: 'authoring-where', textContent: where, title: point.join(', ') }), goTo, removeButton),
  );
}

function nameInput(value: string, ariaLabel: string, onRename: (name: string) => void): HTMLInputElement {
  const input = el('input', { type: 'text', value, attrs: { 'aria-label': ariaLabel } });
  input.addEventListener('change', () => onRename(input.value));
  return input;
}

function choice(options: readonly string[], value: string, ariaLabel: string, onChange: (value: string) => void): HTMLSelectElement {
  const node = el('select', { attrs: { 'aria-label': ariaLabel } }, ...options.map((o) => el('option', { value: o, textContent: o })));
  node.value = value;
  node.addEventListener('change', () => onChange(node.value));
  return node;
}
