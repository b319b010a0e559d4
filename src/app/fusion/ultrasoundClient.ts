import type { Transform } from '../../core/frames/transform';
import type { ProbeModel } from '../../core/tracking/probeModels';
import { sampleCountFor, type UltrasoundSettings } from '../../core/ultrasound/ultrasoundSettings';
import type { CtVolume } from '../../core/volume/ctVolume';
import type { NeedleInCt } from '../../core/ultrasound/synthesizeUltrasound';
import type { AcousticRegionSpec } from '../../core/ultrasound/acousticRegions';
import { scanConvert } from '../../core/ultrasound/scanConversion';
import type { FrameRequest, LinesReply, WorkerRequest } from './ultrasound.worker';

/** A finished frame for the page: the grey image as RGBA, its size, and how long it took. */
export interface UltrasoundReply {
  readonly rgba: Uint8ClampedArray<ArrayBuffer>;
  readonly columns: number;
  readonly rows: number;
  /** From the request to the last part's arrival, ms. */
  readonly ms: number;
  readonly pulsating: boolean;
  readonly poseChangeMark?: number;
}

/**
 * The page's side of the ultrasound workers. A frame's scan lines are split between the workers
 * (two on a machine with two cores or more: the scanner's frame rate on the CPU needs both); each
 * computes its lines with the lateral PSF's halo, so the parts join into exactly the frame one
 * worker would make. The page joins them and scan-converts (a few ms). One frame is in flight at
 * a time; while it computes, only the newest request is kept (older poses are dropped). A worker's
 * error is reported once through `onError` and the next request starts afresh; a worker that
 * crashes or hangs is replaced (restart).
 */
export class UltrasoundClient {
  private readonly workers: Worker[];
  /** The CT the workers hold (sent again to a restarted worker). */
  private volume: CtVolume | undefined;
  /** A frame not finished by then means a worker hung or died silently: restart them. */
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private busy = false;
  private next: (FrameRequest & { poseChangeMark?: number }) | undefined;
  private id = 0;
  /** The regions the workers hold (sent again only when they change). */
  private regionsSent: readonly AcousticRegionSpec[] | undefined;
  private pending:
    { id: number; request: FrameRequest & { poseChangeMark?: number }; started: number; parts: number; db: Float32Array; samples: number; pulsating: boolean } | undefined;

  constructor(
    private readonly onFrame: (reply: UltrasoundReply) => void,
    private readonly onError: (message: string) => void = (message) => console.error(`ultrasound: ${message}`),
    workerCount = defaultWorkerCount(),
  ) {
    this.workers = Array.from({ length: workerCount }, () => this.startWorker());
  }

  private startWorker(): Worker {
    const worker = new Worker(new URL('./ultrasound.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<LinesReply>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.restart(event.message || 'the ultrasound worker stopped');
    };
    worker.onmessageerror = () => this.restart('a message from the ultrasound worker could not be read');
    if (this.volume) worker.postMessage({ kind: 'volume', volume: { ...this.volume, huVoxels: this.volume.huVoxels.slice() } } satisfies WorkerRequest);
    return worker;
  }

  /**
   * A worker failed outside a frame's computation (it crashed, ran out of memory or hung): every
   * worker is replaced with a fresh one holding the CT, the user is told once, and the next
   * request computes afresh — the client is never left busy.
   */
  private restart(message: string): void {
    for (const worker of this.workers) worker.terminate();
    this.workers.splice(0, this.workers.length, ...this.workers.map(() => this.startWorker()));
    const id = this.pending?.id ?? this.id;
    this.regionsSent = undefined;
    if (this.pending) this.fail(id, message);
    else this.onError(message);
  }

  /** Forgets the frame in flight and the one waiting (another CT was opened): a late answer is ignored. */
  reset(): void {
    clearTimeout(this.watchdog);
    this.pending = undefined;
    this.next = undefined;
    this.busy = false;
    this.regionsSent = undefined;
  }

  setVolume(volume: CtVolume): void {
    this.volume = volume;
    // A copy travels to each worker (no shared memory without cross-origin isolation).
    for (const worker of this.workers) worker.postMessage({ kind: 'volume', volume: { ...volume, huVoxels: volume.huVoxels.slice() } } satisfies WorkerRequest);
  }

  request(
    imageToCt: Transform<'Image', 'Ct'>,
    model: ProbeModel,
    settings: UltrasoundSettings,
    needle: NeedleInCt | undefined,
    regions: readonly AcousticRegionSpec[],
    poseChangeMark?: number,
  ): void {
    const same = this.regionsSent !== undefined && this.regionsSent.length === regions.length && regions.every((region, k) => region === this.regionsSent![k]);
    if (!same) this.regionsSent = undefined;
    this.next = {
      imageToCt: Array.from(imageToCt.matrix),
      model,
      settings,
      ...(needle ? { needle } : {}),
      media: { regions, timeMs: performance.now() },
      ...(poseChangeMark !== undefined ? { poseChangeMark } : {}),
    };
    this.flush();
  }

  private flush(): void {
    if (this.busy || !this.next) return;
    this.busy = true;
    const request = this.next;
    this.next = undefined;
    const id = ++this.id;
    const { lines } = request.settings;
    const samples = request.settings.samples ?? sampleCountFor(request.settings.depthMm, request.settings.frequencyMHz);
    this.pending = { id, request, started: performance.now(), parts: this.workers.length, db: new Float32Array(lines * samples), samples, pulsating: false };
    // A frame takes about 0.1 s; a minute without an answer (the first frame of a new CT waits for its denoising) is a hung worker.
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.pending?.id === id && this.restart('the ultrasound workers did not answer for a minute'), 60_000);
    const { poseChangeMark: _mark, ...frame } = request;
    // The workers keep the regions of the last request: send them only when they change.
    const regions = frame.media.regions!;
    const sendRegions = this.regionsSent === undefined;
    this.regionsSent = regions;
    if (!sendRegions) frame.media = { timeMs: frame.media.timeMs };
    this.workers.forEach((worker, k) => {
      const lineFrom = Math.round((k * lines) / this.workers.length);
      const lineTo = Math.round(((k + 1) * lines) / this.workers.length);
      worker.postMessage({ kind: 'lines', id, lineFrom, lineTo, ...frame } satisfies WorkerRequest);
    });
  }

  private receive(reply: LinesReply): void {
    const pending = this.pending;
    if (!pending || reply.id !== pending.id) return;
    if (reply.kind === 'error') {
      this.fail(reply.id, reply.message);
      return;
    }
    pending.db.set(reply.db, reply.lineFrom * pending.samples);
    pending.pulsating ||= reply.pulsating;
    if (--pending.parts > 0) return;
    const { model, settings, poseChangeMark } = pending.request;
    const image = scanConvert(pending.db, model, settings, pending.samples);
    // Grey to RGBA: little-endian, alpha in the top byte (every browser this app supports is little-endian).
    const rgba = new Uint8ClampedArray(image.length * 4);
    const words = new Uint32Array(rgba.buffer);
    for (let p = 0; p < image.length; p++) words[p] = 0xff000000 | (image[p]! * 0x010101);
    this.pending = undefined;
    this.busy = false;
    clearTimeout(this.watchdog);
    this.onFrame({
      rgba,
      columns: model.columns,
      rows: model.rows,
      ms: performance.now() - pending.started,
      pulsating: pending.pulsating,
      ...(poseChangeMark !== undefined ? { poseChangeMark } : {}),
    });
    this.flush();
  }

  private fail(id: number, message: string): void {
    if (this.pending?.id !== id) return;
    clearTimeout(this.watchdog);
    this.regionsSent = undefined;
    this.pending = undefined;
    this.busy = false;
    this.onError(message);
    this.flush();
  }
}

/**
 * Workers for the ultrasound: `?usWorkers=N` (1–4) if given; else one core is left to the page
 * (the CT plane, the room view) and the rest compute, at least two on a two-core machine (measured
 * there: 74 ms a frame with two, 92 ms with one) and at most four.
 */
function defaultWorkerCount(): number {
  const asked = Number(new URLSearchParams(globalThis.location?.search ?? '').get('usWorkers'));
  if (Number.isInteger(asked) && asked >= 1 && asked <= 4) return asked;
  const cores = navigator.hardwareConcurrency || 1;
  return cores <= 1 ? 1 : Math.min(4, Math.max(2, cores - 1));
}
