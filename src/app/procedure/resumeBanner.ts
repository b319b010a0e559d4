import type { SessionRecord } from '../../core/rehearsal/sessionRecord';
import type { ProcedureElements } from './procedureElements';
import type { SessionAutosave } from './sessionAutosave';

/**
 * After a reload or a crash: the unfinished attempt saved in this browser, offered when it belongs
 * to the case now open — Resume carries on where it was, Discard forgets it.
 */
export async function offerResume(
  elements: Pick<ProcedureElements, 'resumeBanner' | 'resumeText' | 'resumeButton' | 'discardButton'>,
  autosave: SessionAutosave,
  openCaseId: string | undefined,
  resume: (saved: SessionRecord) => void,
): Promise<void> {
  const saved = await autosave.unfinished().catch(() => undefined);
  const banner = elements.resumeBanner;
  if (!saved || saved.caseId !== openCaseId) {
    banner.hidden = true;
    return;
  }
  elements.resumeText.textContent = `An unfinished attempt was saved: ${saved.caseId}, ${saved.mode} guidance, started ${new Date(saved.startedAt).toLocaleTimeString()} (${saved.events.length} events).`;
  banner.hidden = false;
  elements.resumeButton.onclick = () => {
    banner.hidden = true;
    resume(saved);
  };
  elements.discardButton.onclick = () => {
    banner.hidden = true;
    void autosave.discard();
  };
}
