import { applyToPoint } from '../../core/frames/transform';
import { skinHeightfield } from '../../core/navigation/skinHeightfield';
import type { SimulatorState } from '../../core/simulation/simulatorState';
import { RoomView } from './roomView';

/**
 * The room view drawn from the state: a new room per CT (skin, table, field generator, working
 * volume), emptied when the new CT cannot be navigated; the probe, its image plane, the stylus,
 * the point pairs and — in fusion guidance only — the target and the needle, redrawn when the
 * truth changes. A click on the skin puts the probe there.
 */
export class RoomPane {
  private readonly room: RoomView;

  constructor(
    container: HTMLElement,
    private readonly state: SimulatorState,
  ) {
    this.room = new RoomView(container, (point, outward) => state.placeProbeAt(point, outward));
    state.events.on('opened', ({ volume, caseFile, session }) => {
      // Which CT the room belongs to, for the user's eye and the tests: empty, or the new series.
      container.dataset.room = session ? caseFile!.series.seriesInstanceUid : 'empty';
      if (!session || !caseFile) return this.room.clear();
      const prone = caseFile.series.patientPosition.endsWith('P');
      this.room.setRoom(skinHeightfield(volume, prone), session.room.ctToTracker, session.tracker.current().workingVolume, session.primaryTarget(), prone);
      this.paint();
    });
    for (const type of ['pose', 'needle', 'pairs', 'registration', 'mode', 'tracker'] as const) state.events.on(type, () => this.paint());
  }

  private paint(): void {
    const session = this.state.session;
    if (!session) return;
    const fusion = this.state.mode === 'fusion';
    const pairs = [...session.manualPairs().values()];
    const registered = session.registeredReferenceToCt();
    this.room.update({
      probeToCt: session.probe(),
      imageToCt: session.trueImageToCt(),
      model: session.probeModel,
      // Without navigation (ultrasound-only, CT-only) the room shows neither the target nor the needle inside the patient.
      target: fusion ? session.primaryTarget() : undefined,
      picked: pairs.flatMap((p) => (p.ct ? [p.ct] : [])),
      touchedInCt: pairs.filter((p) => p.ct).map((p) => (p.touched && registered ? applyToPoint(registered, p.touched) : undefined)),
      needle: fusion ? session.trueNeedle() : undefined,
      stylusTip: session.lastStylusTouch(),
    });
  }
}
