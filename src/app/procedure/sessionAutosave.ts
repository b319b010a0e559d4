import type { SessionRecord } from '../../core/rehearsal/sessionRecord';
import { keyValueStore } from '../storage/keyValueStore';

/**
 * Sessions in the browser (IndexedDB): the attempt in progress under "current", saved after every
 * event and at least once a second while it runs, so a reload or a crash loses at most a second
 * of probe and needle movement; finished attempts under their id (the trainee's history).
 */
const CURRENT = 'current';

export class SessionAutosave {
  private pending: SessionRecord | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<unknown> = Promise.resolve();

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
    // A deep copy: the record keeps growing while IndexedDB clones it.
    const snapshot = JSON.parse(JSON.stringify(record)) as SessionRecord;
    this.writing = this.writing.then(() => keyValueStore.put('sessions', CURRENT, snapshot)).catch((error) => this.onError(`The session could not be saved in this browser (${String(error)}); export it to keep it.`));
    await this.writing;
  }

  /** The finished attempt joins the history; nothing is left to resume. */
  async finish(record: SessionRecord): Promise<void> {
    this.pending = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    await keyValueStore.put('sessions', record.id, JSON.parse(JSON.stringify(record)));
    await keyValueStore.remove('sessions', CURRENT);
  }

  async discard(): Promise<void> {
    this.pending = undefined;
    await keyValueStore.remove('sessions', CURRENT);
  }

  unfinished(): Promise<SessionRecord | undefined> {
    return keyValueStore.get<SessionRecord>('sessions', CURRENT);
  }

  async history(): Promise<SessionRecord[]> {
    const all = await keyValueStore.all<SessionRecord>('sessions');
    return all.filter((r) => r.events.some((e) => e.kind === 'finished')).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }
}
