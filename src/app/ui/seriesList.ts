import type { SeriesCandidate } from '../../core/series/seriesCandidate';
import type { PlanResult } from '../../core/series/volumePlan';

export interface AssessedSeries {
  readonly candidate: SeriesCandidate;
  /** Undefined when the series is not CT or not an image (see candidate.notLoadableBecause). */
  readonly plan: PlanResult | undefined;
}

/** Why a series cannot be loaded, or undefined when it can. */
export const refusalOf = (series: AssessedSeries): string | undefined => series.candidate.notLoadableBecause ?? (series.plan && !series.plan.ok ? series.plan.reason : undefined);

/** The table of series found in the files given: one row each, with a Load button or the reason it cannot load. */
export function renderSeriesList(table: HTMLTableElement, series: readonly AssessedSeries[], loadedUid: string | undefined, onLoad: (series: AssessedSeries) => void): void {
  const head = document.createElement('tr');
  // Short headers (full names on hover): the table fits the side panel's width.
  for (const [title, full] of [
    ['Mod.', 'Modality'],
    ['Description', 'Series description'],
    ['Sl.', 'Slices (files)'],
    ['Matrix', 'Columns × rows'],
    ['', ''],
  ] as const) {
    head.appendChild(Object.assign(document.createElement('th'), { textContent: title, title: full }));
  }
  const rows = series.map((entry) => {
    const { candidate } = entry;
    const row = document.createElement('tr');
    row.dataset.seriesUid = candidate.seriesInstanceUid;
    const cells = [
      candidate.modality,
      candidate.description,
      String(candidate.headers.length),
      candidate.columns && candidate.rows ? `${candidate.columns}×${candidate.rows}` : '—',
    ];
    for (const text of cells) row.appendChild(Object.assign(document.createElement('td'), { textContent: text, title: text }));
    const action = document.createElement('td');
    const refusal = refusalOf(entry);
    if (refusal) {
      row.classList.add('refused');
      action.textContent = `Cannot load: ${refusal}.`;
    } else if (candidate.seriesInstanceUid === loadedUid) {
      action.textContent = 'Loaded';
    } else {
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Load' });
      button.addEventListener('click', () => onLoad(entry));
      action.appendChild(button);
    }
    row.appendChild(action);
    return row;
  });
  table.tBodies[0]!.replaceChildren(head, ...rows);
}
