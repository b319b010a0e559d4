import { assembleSession, SessionChunkWriter, type SessionChunk, type SessionHeader } from '../../core/rehearsal/sessionChunks';
import type { SessionRecord } from '../../core/rehearsal/sessionRecord';
import { keyValueStore, type StoreChange } from '../storage/keyValueStore';

/**
 * Sessions in the browser (IndexedDB): the attempt in progress in the store "attempt", saved after
 * every event and at least once a second while it runs, so a reload or a crash loses at most a
 * second of probe and needle movement; finished attempts in "sessions" under their id (the
 * trainee's history).
 *
 * The attempt in progress streams (issue 12): its header under "header", then one chunk per
 * save under 0, 1, 2, … holding only the samples and events added since the save before
 * (core/rehearsal/sessionChunks.ts) — a save costs what is new, however long the attempt, and
 * nothing is deep-copied (the store's structured clone copies the few new samples). Earlier
 * versions kept the whole record under "current" in "sessions": such an attempt still resumes,
 * and its first save moves it to the new form.
 */
const LEGACY_CURRENT = 'current';
const HEADER = 'header';

export class SessionAutosave {
  private pending: SessionRecord | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<unknown> = Promise.resolve();
  private readonly writer = new SessionChunkWriter();

  constructor(private readonly onError: (message: string) => void) {}

  /** Saves soon (coalescing bursts); `now` saves at once (events). */
  save(record: SessionRecord, now = false): void {
    this.pending = record;
    if (now) return void this.flush();
    this.timer ??= setTimeout(() => void this.flush(), 1000);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const record = this.pending;
    this.pending = undefined;
    if (!record) return this.writing.then(() => undefined);
    // What is new since the last save, taken now (the record keeps growing meanwhile).
    const { restart, chunk } = this.writer.next(record);
    const changes: StoreChange[] = [];
    if (restart) changes.push({ store: 'attempt', clear: true }, { store: 'attempt', put: restart, key: HEADER }, { store: 'sessions', remove: LEGACY_CURRENT });
    if (chunk) changes.push({ store: 'attempt', put: chunk, key: chunk.seq });
    if (changes.length === 0) return this.writing.then(() => undefined);
    this.writing = this.writing
      .then(() => keyValueStore.write(changes))
      .catch((error) => {
        // The next save writes the attempt again, whole.
        this.writer.reset();
        this.onError(`The session could not be saved in this browser (${String(error)}); export it to keep it.`);
      });
    await this.writing;
  }

  /** The finished attempt joins the history; nothing is left to resume. */
  async finish(record: SessionRecord): Promise<void> {
    this.pending = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    this.writer.reset();
    await keyValueStore.write([
      { store: 'sessions', put: record, key: record.id },
      { store: 'attempt', clear: true },
      { store: 'sessions', remove: LEGACY_CURRENT },
    ]);
  }

  async discard(): Promise<void> {
    this.pending = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    this.writer.reset();
    await keyValueStore.write([
      { store: 'attempt', clear: true },
      { store: 'sessions', remove: LEGACY_CURRENT },
    ]);
  }

  /** The attempt in progress saved in this browser (reassembled from its chunks), if any; saving it again writes only what is added to it. */
  async unfinished(): Promise<SessionRecord | undefined> {
    const entries = await keyValueStore.entries<SessionHeader | SessionChunk>('attempt');
    const header = entries.find(([key]) => key === HEADER)?.[1] as SessionHeader | undefined;
    if (header) {
      const chunks = entries.filter(([key]) => typeof key === 'number').map(([, chunk]) => chunk as SessionChunk);
      const record = assembleSession(header, chunks);
      if (record) {
        this.writer.continueFrom(record, chunks.length);
        return record;
      }
    }
    return keyValueStore.get<SessionRecord>('sessions', LEGACY_CURRENT);
  }

  async history(): Promise<SessionRecord[]> {
    const all = await keyValueStore.all<SessionRecord>('sessions');
    return all.filter((r) => r.id !== undefined && Array.isArray(r.events) && r.events.some((e) => e.kind === 'finished')).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }
}
