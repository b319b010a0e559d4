import type { CaseFile } from '../../core/cases/caseFile';
import { validateSessionRecord } from '../../core/rehearsal/validateSessionRecord';
import type { SessionRecord } from '../../core/rehearsal/sessionRecord';

/**
 * "Import session": a session file exported from the report, checked before it is shown; a session
 * of another bundled case opens that case first (with the session's seed, so its room is the same).
 */
export function wireSessionImport(
  input: HTMLInputElement,
  deps: {
    openCase(): CaseFile | undefined;
    bundledCaseIds(): readonly string[];
    openBundled(id: string, seed: number): Promise<void>;
    show(record: SessionRecord, caseFile: CaseFile): Promise<void>;
    alert(lines: string[]): void;
  },
): void {
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    void file.text().then(async (text) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return deps.alert([`${file.name} is not JSON: choose a session file exported from the report (.session.json).`]);
      }
      const checked = validateSessionRecord(parsed);
      if (!checked.ok) return deps.alert([`${file.name} is not a session this simulator can read:`, ...checked.errors.slice(0, 8)]);
      if (checked.record.caseId !== deps.openCase()?.id) {
        if (!deps.bundledCaseIds().includes(checked.record.caseId))
          return deps.alert([`${file.name} was recorded on the case "${checked.record.caseId}": open that case (its CT and case.json) first, then import again.`]);
        await deps.openBundled(checked.record.caseId, checked.record.seed);
      }
      const caseFile = deps.openCase();
      if (caseFile) await deps.show(checked.record, caseFile);
    });
  });
}
