import type { CaseFile } from '../../core/cases/caseFile';
import { computeMetrics } from '../../core/metrics/computeMetrics';
import type { MetricResult, MetricValue } from '../../core/metrics/metric';
import { metricsToCsv } from '../../core/metrics/metricsToCsv';
import { compareWithEarlier, compareWithStudy } from '../../core/metrics/studyComparison';
import type { SessionRecord } from '../../core/rehearsal/sessionRecord';
import { element } from '../ui/element';

export function formatValue(value: MetricValue, unit: string): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'none';
  const digits = unit === 'count' ? 0 : Math.abs(value) >= 100 ? 0 : Math.abs(value) < 1 ? 2 : 1;
  return `${value.toFixed(digits)}${unit === 'count' || unit === 'yes/no' || unit === 'ids' ? '' : ` ${unit}`}`;
}

/** Saves text as a file the user downloads (nothing leaves the machine). */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The attempt's report: the metrics (definitions in docs/metrics.md), the comparison with the
 * reference study where it applies, the trend over the trainee's earlier attempts on the same
 * target, and exports (session JSON, metrics CSV, a printable page).
 */
export class ReportView {
  constructor(
    private readonly root: HTMLElement,
    private readonly onReplay: (record: SessionRecord) => void,
  ) {}

  show(record: SessionRecord, caseFile: CaseFile, earlier: readonly SessionRecord[]): MetricResult[] {
    const results = computeMetrics(record, caseFile);
    const target = caseFile.targets.find((t) => t.id === record.targetId);
    const parts: HTMLElement[] = [];
    const close = element('button', '×', 'close-button');
    close.setAttribute('aria-label', 'Close the report');
    close.addEventListener('click', () => (this.root.hidden = true));
    parts.push(close, element('h2', `Attempt report — ${caseFile.title}`));
    parts.push(
      element(
        'p',
        `${target?.name ?? record.targetId} · ${record.mode} guidance · started ${new Date(record.startedAt).toLocaleString()} · seed ${record.seed} · session ${record.id}`,
      ),
    );
    const success = results.find((r) => r.id === 'technicalSuccess')?.value;
    const breaches = results.find((r) => r.id === 'structuresBreached')?.value;
    const headline = element(
      'p',
      `${success ? 'Technical success: the tip was in the target at injection.' : 'No technical success: the tip was not in the target at injection (or nothing was injected).'} ${Array.isArray(breaches) && breaches.length ? `Complication: the needle entered ${breaches.join(', ')}.` : 'No structure to avoid was entered.'}`,
      success && !(Array.isArray(breaches) && breaches.length) ? 'report-good' : 'report-bad',
    );
    headline.dataset.testid = 'report-headline';
    parts.push(headline);

    const table = element('table', '', 'report-metrics');
    table.dataset.testid = 'report-metrics';
    table.append(headerRow(['Metric', 'Value']));
    for (const r of results) {
      const row = element('tr');
      row.dataset.metric = r.id;
      row.append(element('td', r.name), element('td', formatValue(r.value, r.unit)));
      table.append(row);
    }
    parts.push(element('h3', 'Metrics'), table);

    const study = compareWithStudy(record, caseFile, results);
    parts.push(element('h3', 'Against the reference study'), element('p', study.note, 'hint'));
    if (study.rows.length) {
      const t = element('table', '', 'report-study');
      t.dataset.testid = 'report-study';
      t.append(headerRow(['Measure', 'This attempt', `Study (${study.group})`, '']));
      for (const row of study.rows) {
        const tr = element('tr');
        tr.append(element('td', row.measure), element('td', row.attempt), element('td', row.studyValue), element('td', row.verdict));
        t.append(tr);
      }
      parts.push(t);
    }

    const same = earlier.filter((r) => r.id !== record.id && r.caseId === record.caseId && r.targetId === record.targetId);
    parts.push(element('h3', 'Your earlier attempts on this target'));
    if (same.length === 0) parts.push(element('p', 'This is your first recorded attempt on this target in this browser.'));
    else {
      const trend = compareWithEarlier(
        results,
        same.map((r) => computeMetrics(r, caseFile)),
      );
      const t = element('table', '', 'report-trend');
      t.dataset.testid = 'report-trend';
      t.append(headerRow(['Measure', 'Now', 'Previous', 'Best before', '']));
      for (const row of trend) {
        const tr = element('tr');
        const f = (v: number | null) => (v === null ? '—' : `${v.toFixed(row.unit === 'count' ? 0 : 1)} ${row.unit === 'count' ? '' : row.unit}`);
        tr.append(
          element('td', row.name),
          element('td', f(row.current)),
          element('td', f(row.previous)),
          element('td', f(row.best)),
          element('td', row.newBest ? 'new best' : (row.versusPrevious ?? '')),
        );
        t.append(tr);
      }
      parts.push(t, element('p', `${same.length} earlier attempt${same.length > 1 ? 's' : ''} (${same.map((r) => r.mode).join(', ')}).`, 'hint'));
    }

    const buttons = element('div', '', 'button-row no-print');
    const button = (text: string, testId: string, action: () => void) => {
      const b = element('button', text);
      b.type = 'button';
      b.dataset.testid = testId;
      b.addEventListener('click', action);
      buttons.append(b);
    };
    const stem = `${record.caseId}-${record.targetId}-${record.mode}-${record.startedAt.slice(0, 19).replace(/[:T]/g, '-')}`;
    button('Export session (JSON)', 'export-session', () => download(`${stem}.session.json`, JSON.stringify(record, null, 1), 'application/json'));
    button('Export metrics (CSV)', 'export-csv', () => download(`${stem}.metrics.csv`, metricsToCsv(results), 'text/csv'));
    button('Print', 'print-report', () => print());
    button('Replay', 'replay-session', () => {
      this.root.hidden = true;
      this.onReplay(record);
    });
    parts.push(
      buttons,
      element('p', 'Definitions of every metric: docs/metrics.md. The session file replays in Node with `npm run replay -- <file>`, giving the same metrics.', 'hint'),
    );
    this.root.replaceChildren(...parts);
    this.root.hidden = false;
    this.root.dataset.session = record.id;
    return results;
  }
}

function headerRow(cells: string[]): HTMLTableRowElement {
  const row = document.createElement('tr');
  for (const cell of cells) row.append(element('th', cell));
  return row;
}
