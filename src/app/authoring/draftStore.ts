import type { CaseDraft } from '../../core/cases/caseDraft';
import { keyValueStore } from '../storage/keyValueStore';

/**
 * Case drafts autosaved in this browser (IndexedDB store "cases"), one per CT series, keyed by
 * its SeriesInstanceUID: loading the same series again brings the draft back. Nothing leaves
 * the machine.
 */
export interface StoredDraft {
  readonly kind: 'case-draft';
  readonly version: 1;
  /** When the draft was written (ms since the epoch). */
  readonly savedAtMs: number;
  readonly draft: CaseDraft;
}

export interface DraftStore {
  save(seriesInstanceUid: string, draft: CaseDraft): Promise<StoredDraft>;
  load(seriesInstanceUid: string): Promise<StoredDraft | undefined>;
  remove(seriesInstanceUid: string): Promise<void>;
}

export const indexedDbDraftStore: DraftStore = {
  async save(seriesInstanceUid, draft) {
    const record: StoredDraft = { kind: 'case-draft', version: 1, savedAtMs: Date.now(), draft };
    await keyValueStore.put('cases', seriesInstanceUid, record);
    return record;
  },
  async load(seriesInstanceUid) {
    const value = await keyValueStore.get<unknown>('cases', seriesInstanceUid);
    return isStoredDraft(value) ? value : undefined;
  },
  async remove(seriesInstanceUid) {
    await keyValueStore.remove('cases', seriesInstanceUid);
  },
};

/** Enough of the shape for the panel to show it (a draft may be incomplete, never malformed). */
function isStoredDraft(value: unknown): value is StoredDraft {
  const record = value as Partial<StoredDraft> | undefined;
  const c = record?.draft?.caseFile;
  return (
    record?.kind === 'case-draft' &&
    record.version === 1 &&
    typeof record.savedAtMs === 'number' &&
    Array.isArray(record.draft?.tubePoints) &&
    c !== undefined &&
    typeof c.series?.seriesInstanceUid === 'string' &&
    Array.isArray(c.targets) &&
    Array.isArray(c.avoid) &&
    Array.isArray(c.fiducials?.skinMarkers) &&
    typeof c.procedure?.probe === 'object' &&
    typeof c.procedure.needle === 'object'
  );
}
