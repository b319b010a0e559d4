import type { SessionEvent, SessionRecord, TrackingSample } from './sessionRecord';

/**
 * An attempt in progress, stored as it grows (issue 12): a header (everything but the samples and
 * the events, written once) and append-only chunks, each holding only what the recorder added
 * since the previous write — so a save costs what is new, never the whole record. Pure (no
 * IndexedDB), so Node tests it; src/app/procedure/sessionAutosave.ts stores the pieces.
 *
 * The recorder appends samples and events, except that a sample within 50 ms of the last one
 * REPLACES it (ProcedureRun.update): a chunk therefore says where its samples start
 * (`samplesFrom`), and one that starts below the count already stored overwrites from there.
 * Samples and events are never mutated in place (they are replaced), so a chunk may hold the
 * record's own objects: the store's structured clone copies them when it writes.
 */
export type SessionHeader = Omit<SessionRecord, 'samples' | 'events'>;

export interface SessionChunk {
  /** 0, 1, 2, … in writing order (the store's key). */
  readonly seq: number;
  /** Index in the record's samples of this chunk's first sample. */
  readonly samplesFrom: number;
  readonly samples: readonly TrackingSample[];
  /** Index in the record's events of this chunk's first event. */
  readonly eventsFrom: number;
  readonly events: readonly SessionEvent[];
}

/** One write: a new attempt (or a rewrite after a failure) brings its header and clears the chunks stored before. */
export interface SessionWrite {
  readonly restart?: SessionHeader;
  readonly chunk?: SessionChunk;
}

export function headerOf(record: SessionRecord): SessionHeader {
  const { samples: _samples, events: _events, ...header } = record;
  return header;
}

/**
 * Follows one attempt's record between writes: `next(record)` is what to write now (nothing when
 * nothing changed). Checks in O(1) that what it wrote is still the record's (the last sample
 * may have been replaced); a record with another id, or one that shrank, starts over.
 */
export class SessionChunkWriter {
  private id: string | undefined;
  private seq = 0;
  private samplesWritten = 0;
  private lastSample: TrackingSample | undefined;
  private eventsWritten = 0;
  private lastEvent: SessionEvent | undefined;

  /** Carries on after `record` was read back from `chunkCount` stored chunks (a resumed attempt): nothing is written again. */
  continueFrom(record: SessionRecord, chunkCount: number): void {
    this.id = record.id;
    this.seq = chunkCount;
    this.samplesWritten = record.samples.length;
    this.lastSample = record.samples[record.samples.length - 1];
    this.eventsWritten = record.events.length;
    this.lastEvent = record.events[record.events.length - 1];
  }

  /** Forget what was written (after a failed write, or a discard): the next write starts over. */
  reset(): void {
    this.id = undefined;
  }

  next(record: SessionRecord): SessionWrite {
    const { samples, events } = record;
    const restart = record.id !== this.id || samples.length < this.samplesWritten - 1 || events.length < this.eventsWritten;
    if (restart) {
      this.id = record.id;
      this.seq = 0;
      this.samplesWritten = 0;
      this.lastSample = undefined;
      this.eventsWritten = 0;
      this.lastEvent = undefined;
    }
    let samplesFrom = this.samplesWritten;
    // The recorder replaced the last sample written (a newer one within 50 ms): write it again.
    if (samplesFrom > 0 && samples[samplesFrom - 1] !== this.lastSample) samplesFrom--;
    let eventsFrom = this.eventsWritten;
    if (eventsFrom > 0 && events[eventsFrom - 1] !== this.lastEvent) eventsFrom--;
    const header = restart ? headerOf(record) : undefined;
    if (samplesFrom === samples.length && eventsFrom === events.length) return header ? { restart: header } : {};
    const chunk: SessionChunk = { seq: this.seq++, samplesFrom, samples: samples.slice(samplesFrom), eventsFrom, events: events.slice(eventsFrom) };
    this.samplesWritten = samples.length;
    this.lastSample = samples[samples.length - 1];
    this.eventsWritten = events.length;
    this.lastEvent = events[events.length - 1];
    return header ? { restart: header, chunk } : { chunk };
  }
}

/**
 * The record back from its header and chunks (in any order: sorted by seq here). Undefined when
 * a chunk is missing (it would leave a gap): the stored attempt is then unusable.
 */
export function assembleSession(header: SessionHeader, chunks: readonly SessionChunk[]): SessionRecord | undefined {
  const samples: TrackingSample[] = [];
  const events: SessionEvent[] = [];
  const ordered = [...chunks].sort((a, b) => a.seq - b.seq);
  for (let i = 0; i < ordered.length; i++) {
    const chunk = ordered[i]!;
    if (chunk.seq !== i || chunk.samplesFrom > samples.length || chunk.eventsFrom > events.length) return undefined;
    samples.length = chunk.samplesFrom;
    for (const sample of chunk.samples) samples.push(sample);
    events.length = chunk.eventsFrom;
    for (const event of chunk.events) events.push(event);
  }
  return { ...header, samples, events };
}
