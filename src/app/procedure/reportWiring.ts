import type { CaseFile } from '../../core/cases/caseFile';
import type { SessionRecord } from '../../core/rehearsal/sessionRecord';
import type { SimulatorState } from '../../core/simulation/simulatorState';
import { renderHistory } from './historyView';
import type { ReplayController } from './replayController';
import { ReportView } from './reportView';
import type { SessionAutosave } from './sessionAutosave';

/**
 * The report after each finished attempt (with the trainee's earlier attempts on the target), and
 * "Attempts…": the history, each attempt's report or replay. Returns how to show a report.
 */
export function wireReports(
  elements: { report: HTMLElement; openHistory: HTMLElement },
  state: SimulatorState,
  autosave: SessionAutosave,
  replay: ReplayController,
): (record: SessionRecord, caseFile: CaseFile) => Promise<void> {
  const report = new ReportView(elements.report, (record) => replay.open(record));
  const showReport = async (record: SessionRecord, caseFile: CaseFile): Promise<void> => void report.show(record, caseFile, await autosave.history().catch(() => []));
  state.events.on('finished', ({ record, caseFile }) => void showReport(record, caseFile));
  elements.openHistory.addEventListener('click', async () => {
    const all = await autosave.history().catch(() => []);
    renderHistory(
      elements.report,
      all,
      state.caseFile,
      (record) => state.caseFile && void showReport(record, state.caseFile),
      (record) => replay.open(record),
    );
  });
  return showReport;
}
