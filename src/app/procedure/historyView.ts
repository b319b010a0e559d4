import type { CaseFile } from '../../core/cases/caseFile';
import type { SessionRecord } from '../../core/rehearsal/sessionRecord';
import { setEnabled } from '../ui/setEnabled';

/**
 * The trainee's finished attempts saved in this browser, newest first: open the report of one
 * (attempts on the open case) or replay it.
 */
export function renderHistory(
  root: HTMLElement,
  records: readonly SessionRecord[],
  caseFile: CaseFile | undefined,
  openReport: (r: SessionRecord) => void,
  replay: (r: SessionRecord) => void,
): void {
  const close = Object.assign(document.createElement('button'), { textContent: '×', className: 'close-button', type: 'button' });
  close.setAttribute('aria-label', 'Close');
  close.addEventListener('click', () => (root.hidden = true));
  const parts: HTMLElement[] = [close, Object.assign(document.createElement('h2'), { textContent: 'Attempts saved in this browser' })];
  if (records.length === 0)
    parts.push(
      Object.assign(document.createElement('p'), { textContent: "No finished attempt yet. Start one from the Rehearsal panel; import a session file to review someone else's." }),
    );
  const table = document.createElement('table');
  table.dataset.testid = 'history';
  for (const record of [...records].reverse()) {
    const row = document.createElement('tr');
    const cell = (text: string) => row.appendChild(Object.assign(document.createElement('td'), { textContent: text }));
    cell(new Date(record.startedAt).toLocaleString());
    cell(record.caseId);
    cell(record.targetId);
    cell(`${record.mode} guidance`);
    const actions = row.appendChild(document.createElement('td'));
    const sameCase = caseFile?.id === record.caseId;
    for (const [text, action] of [
      ['Report', openReport],
      ['Replay', replay],
    ] as const) {
      const button = Object.assign(document.createElement('button'), { textContent: text, type: 'button' });
      setEnabled(button, sameCase, `Open the case "${record.caseId}" first`);
      button.addEventListener('click', () => {
        root.hidden = true;
        action(record);
      });
      actions.append(button);
    }
    table.append(row);
  }
  parts.push(table);
  root.replaceChildren(...parts);
  root.hidden = false;
}
