/**
 * The workspace layout and the page-wide presentation helpers, installed by index.html's own
 * module script (so they work before and without the composition root):
 *
 * - the layout toggle: "Fusion large" (the ultrasound and the fused CT side by side over the
 *   full width, the planning views and the room under them) or "Planning large" (the three
 *   planning views large, the fusion pair and the room under them); `setWorkspace` switches it;
 * - the fusion pair's canvases fitted to their cells at their aspect ratio (fitCanvases);
 * - the image captions following the guidance mode (`data-mode` on #view-fusion, titlesFor);
 * - disabled controls with a `data-disabled-reason` saying why on hover (watchDisabledReasons).
 */
import { titlesFor } from '../fusion/imageTitles';
import type { GuidanceMode } from '../../core/rehearsal/sessionRecord';
import { fitCanvases } from './fitCanvases';
import { watchDisabledReasons } from './setEnabled';

export type Workspace = 'fusion' | 'planning';

const listeners: ((workspace: Workspace) => void)[] = [];

const viewsElement = () => document.getElementById('views');

/** The layout shown now. */
export function currentWorkspace(): Workspace {
  return viewsElement()?.dataset.workspace === 'planning' ? 'planning' : 'fusion';
}

/** Switches the layout (the toggle follows), and tells the listeners once the tiles have their new sizes. */
export function setWorkspace(workspace: Workspace): void {
  const views = viewsElement();
  if (!views || views.dataset.workspace === workspace) return;
  views.dataset.workspace = workspace;
  const radio = document.querySelector<HTMLInputElement>(`input[name='workspace'][value='${workspace}']`);
  if (radio) radio.checked = true;
  // The planning views' renderer resizes when #views is resized (the composition root observes
  // it); the tiles change size inside an unchanged #views, so nudge it by a fraction of a pixel
  // for one frame. Listeners (onWorkspaceChange) may resize the views directly instead.
  views.style.paddingRight = '0.1px';
  requestAnimationFrame(() => {
    views.style.paddingRight = '';
    for (const listener of listeners) listener(workspace);
  });
}

/** Told after every layout switch (e.g. to resize the planning views' renderer). */
export function onWorkspaceChange(listener: (workspace: Workspace) => void): void {
  listeners.push(listener);
}

/** Captions and the tile's name for a guidance mode (the fusion controller sets `data-mode`). */
function showTitles(tile: HTMLElement): void {
  const mode = (tile.dataset.mode ?? 'fusion') as GuidanceMode;
  const titles = titlesFor(mode);
  const us = document.getElementById('us-image-title');
  const ct = document.getElementById('ct-image-title');
  if (us) us.textContent = titles.ultrasound;
  if (ct) ct.textContent = titles.fused;
  tile.setAttribute('aria-label', titles.tile);
}

function install(): void {
  for (const radio of document.querySelectorAll<HTMLInputElement>("input[name='workspace']")) {
    radio.addEventListener('change', () => radio.checked && setWorkspace(radio.value === 'planning' ? 'planning' : 'fusion'));
  }
  const canvases = ['us-canvas', 'fusion-canvas'].map((id) => document.getElementById(id)).filter((c): c is HTMLCanvasElement => c instanceof HTMLCanvasElement);
  fitCanvases(canvases);
  const tile = document.getElementById('view-fusion');
  if (tile) {
    showTitles(tile);
    new MutationObserver(() => showTitles(tile)).observe(tile, { attributes: true, attributeFilter: ['data-mode'] });
  }
  watchDisabledReasons(document.body);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', install, { once: true });
else install();
