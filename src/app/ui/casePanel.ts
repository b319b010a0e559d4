import type { CaseFile } from '../../core/cases/caseFile';
import { shapeCentre } from '../../core/cases/shapeCentre';
import type { Vec3 } from '../../core/geometry/vec3';

/** The rehearsal case beside the volume: procedure, targets, structures to avoid, fiducials. */
export function renderCasePanel(element: HTMLElement, caseFile: CaseFile | undefined, loadedSeriesUid: string | undefined, look?: (point: Vec3) => void): void {
  if (!caseFile) {
    element.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'No case file: open a bundled case, or give a case.json with your series.' }));
    return;
  }
  const parts: HTMLElement[] = [];
  const add = (tag: string, text: string, className?: string) => {
    const node = Object.assign(document.createElement(tag), { textContent: text });
    if (className) node.className = className;
    parts.push(node);
    return node;
  };
  add('h3', caseFile.title);
  if (loadedSeriesUid && caseFile.series.seriesInstanceUid && caseFile.series.seriesInstanceUid !== loadedSeriesUid) {
    add('p', 'This case file was written for another series (its SeriesInstanceUID differs): its coordinates may not match this CT.', 'notice');
  }
  add('p', caseFile.description, 'case-description');
  const { probe, needle } = caseFile.procedure;
  add('p', `${caseFile.procedure.approach}. Probe: ${probe.type} ${probe.frequencyMHz} MHz. Needle: ${needle.gauge} G, ${needle.lengthMm / 10} cm ${needle.type}.`);
  const list = (title: string, items: string[], points?: Vec3[]) => {
    add('h4', title);
    const ul = document.createElement('ul');
    items.forEach((item, index) => {
      const li = ul.appendChild(Object.assign(document.createElement('li'), { textContent: item }));
      const point = points?.[index];
      if (look && point) {
        // Click to centre the planning views (the crosshair) on it.
        li.classList.add('look');
        li.tabIndex = 0;
        li.title = 'Show in the planning views';
        li.addEventListener('click', () => look(point));
        li.addEventListener('keydown', (event) => event.key === 'Enter' && look(point));
      }
    });
    parts.push(ul);
  };
  const point = (p: readonly number[]) => p.map((v) => v.toFixed(1)).join(', ');
  list(
    'Targets',
    caseFile.targets.map((t) => `${t.name} (${t.priority}, within ${t.acceptanceRadiusMm} mm) at LPS ${point(t.centre)}`),
    caseFile.targets.map((t) => t.centre),
  );
  list(
    'Structures to avoid',
    caseFile.avoid.map((a) => a.name),
    caseFile.avoid.map((a) => shapeCentre(a.shape)),
  );
  const marker = caseFile.fiducials.marker;
  list('Fiducials', [
    ...(marker ? [`${marker.name}: ${marker.beadsInCt.length} beads of ${marker.beadDiameterMm} mm`] : []),
    `${caseFile.fiducials.skinMarkers.length} skin markers`,
  ]);
  element.replaceChildren(...parts);
}
