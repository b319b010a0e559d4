import type { Transform } from '../../core/frames/transform';
import type { ProbeModel } from '../../core/tracking/probeModels';
import type { UltrasoundSettings } from '../../core/ultrasound/ultrasoundSettings';
import type { CtVolume } from '../../core/volume/ctVolume';
import type { NeedleInCt } from '../../core/ultrasound/synthesizeUltrasound';
import type { AcousticRegionSpec } from '../../core/ultrasound/acousticRegions';
import type { WorkerReply, WorkerRequest } from './ultrasound.worker';

/**
 * The page's side of the ultrasound worker: one frame in flight at a time; while it computes,
 * only the newest request is kept (older poses are dropped), so the page never queues up.
 * A request may carry the time of the pose change it shows (performance.now() ms), echoed in the
 * reply, for the `fusion-frame-ultrasound` measure.
 */
export class UltrasoundClient {
  private readonly worker = new Worker(new URL('./ultrasound.worker.ts', import.meta.url), { type: 'module' });
  private busy = false;
  private next: Omit<Extract<WorkerRequest, { kind: 'frame' }>, 'id'> | undefined;
  private id = 0;

  constructor(private readonly onFrame: (reply: WorkerReply) => void) {
    this.worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      this.busy = false;
      this.onFrame(event.data);
      this.flush();
    };
  }

  setVolume(volume: CtVolume): void {
    // A copy travels to the worker (no shared memory without cross-origin isolation).
    this.worker.postMessage({ kind: 'volume', volume: { ...volume, huVoxels: volume.huVoxels.slice() } } satisfies WorkerRequest);
  }

  request(imageToCt: Transform<'Image', 'Ct'>, model: ProbeModel, settings: UltrasoundSettings, needle: NeedleInCt | undefined, regions: readonly AcousticRegionSpec[], poseChangeMark?: number): void {
    this.next = { kind: 'frame', imageToCt: Array.from(imageToCt.matrix), model, settings, ...(needle ? { needle } : {}), media: { regions, timeMs: performance.now() }, ...(poseChangeMark !== undefined ? { poseChangeMark } : {}) };
    this.flush();
  }

  private flush(): void {
    if (this.busy || !this.next) return;
    this.busy = true;
    this.worker.postMessage({ ...this.next, id: ++this.id } satisfies WorkerRequest);
    this.next = undefined;
  }
}
