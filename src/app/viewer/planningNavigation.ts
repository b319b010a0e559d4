import { addScaled, normalize, subtract, type Vec3 } from '../../core/geometry/vec3';
import { shaftToStructures } from '../../core/needle/shaftToStructures';
import type { AvoidStructure } from '../../core/cases/caseFile';
import type { SimulatorState } from '../../core/simulation/simulatorState';
import type { NavigationView } from './navigationOverlay';
import type { PlanningInteraction } from './planningInteraction';

type Follow = NavigationView['follow'];

/** How far the dashed trajectory extends beyond the tip, mm. */
const TRAJECTORY_MM = 80;
/** The overlay is redrawn at most this often while the tracker streams, ms: it shares the main thread with the fused CT. */
const REDRAW_INTERVAL_MS = 100;
/** The slices follow the tip once it has moved this far: the tracker's jitter must not re-render the three views, mm. */
const FOLLOW_DEADBAND_MM = 2;

/** Structures to avoid within this distance of the planned line are drawn and named (all of them would crowd the views), mm. */
const NEAR_LINE_MM = 15;

/**
 * What the axial, sagittal and coronal views show while navigating, by guidance mode:
 * - fusion: the navigated needle (tracked, through the registration), its trajectory, the
 *   ultrasound plane's intersection, the planned path and the structures to avoid; the slices
 *   follow the navigated tip (or, on demand, the probe);
 * - CT-only: the needle as the last CT pass showed it (the slices go there once per pass);
 * - ultrasound-only: the plan only, and the slices do not follow (that would give the answer away).
 * A small bar under the views chooses what to follow and whether to draw the structures.
 */
export class PlanningNavigation {
  private follow: Follow = 'tip';
  private showAvoid = true;
  private pending = false;
  private lastDrawMs = -Infinity;
  /** Where the slices were last sent to follow. */
  private followedAt: Vec3 | undefined;
  private lastPassShown: number | undefined;
  /** The structures near the planned line, for the entry they were found for. */
  private near: { entry: Vec3; target: Vec3; structures: readonly AvoidStructure[] } | undefined;

  constructor(
    bar: HTMLElement,
    private readonly state: SimulatorState,
    private readonly interaction: PlanningInteraction,
  ) {
    const follow = Object.assign(document.createElement('select'), { title: 'What the slices follow while navigating (fusion guidance)' });
    follow.setAttribute('data-testid', 'views-follow');
    follow.append(
      ...(['tip', 'probe', 'none'] as const).map((value) =>
        Object.assign(document.createElement('option'), { value, textContent: { tip: 'Follow the needle tip', probe: 'Follow the probe', none: 'Do not follow' }[value] }),
      ),
    );
    follow.addEventListener('change', () => {
      this.follow = follow.value as Follow;
      this.request();
    });
    const avoid = Object.assign(document.createElement('input'), { type: 'checkbox', checked: true });
    avoid.setAttribute('data-testid', 'views-avoid');
    avoid.addEventListener('change', () => {
      this.showAvoid = avoid.checked;
      this.request();
    });
    const avoidLabel = document.createElement('label');
    avoidLabel.append(avoid, ' Structures to avoid');
    bar.replaceChildren(follow, avoidLabel);
    for (const type of ['navigation', 'mode', 'plan', 'ct-pass', 'attempt'] as const) state.events.on(type, () => this.request());
    state.events.on('opened', () => {
      this.lastPassShown = undefined;
      this.followedAt = undefined;
      interaction.showNavigation(undefined);
    });
  }

  /** At most every REDRAW_INTERVAL_MS, at an animation frame: the tracker streams at 40 Hz. */
  private request(): void {
    if (this.pending) return;
    this.pending = true;
    const wait = Math.max(0, this.lastDrawMs + REDRAW_INTERVAL_MS - performance.now());
    setTimeout(
      () =>
        requestAnimationFrame(() => {
          this.pending = false;
          this.lastDrawMs = performance.now();
          this.interaction.showNavigation(this.deadband(this.view()));
        }),
      wait,
    );
  }

  /** Follows only moves beyond the deadband (the navigated tip jitters with the tracker). */
  private deadband(view: NavigationView | undefined): NavigationView | undefined {
    if (!view || view.follow === 'none') return view;
    const point = view.follow === 'tip' ? (view.tipInCt ?? view.needle?.tip) : undefined;
    if (!point) return view;
    const last = this.followedAt;
    if (last && Math.hypot(point[0] - last[0], point[1] - last[1], point[2] - last[2]) < FOLLOW_DEADBAND_MM) return { ...view, follow: 'none' };
    this.followedAt = [point[0], point[1], point[2]];
    return view;
  }

  private structuresNear(avoid: readonly AvoidStructure[], entry: Vec3 | undefined, target: Vec3 | undefined): readonly AvoidStructure[] {
    if (!entry || !target) return avoid;
    if (this.near?.entry !== entry || this.near.target !== target) {
      // From the entry a little past the target: what the needle passes, and what lies just beyond.
      const beyond = addScaled(target, normalize(subtract(target, entry)), 10);
      this.near = { entry, target, structures: shaftToStructures(entry, beyond, avoid, NEAR_LINE_MM).map((d) => d.structure) };
    }
    return this.near.structures;
  }

  private view(): NavigationView | undefined {
    const { caseFile, session, mode } = this.state;
    if (!caseFile || !session) return undefined;
    const attempt = this.state.attempt;
    const target = this.state.target();
    const entry = attempt?.plannedEntry ?? caseFile.procedure.suggestedEntry;
    const common = {
      ...(entry && target ? { plannedPath: { entry, target } } : {}),
      avoid: this.structuresNear(caseFile.avoid, entry, target).map((a) => ({ id: a.id, name: a.name, shape: a.shape })),
      showAvoid: this.showAvoid,
      labels: true,
    };
    if (mode === 'ultrasound') return { ...common, follow: 'none' };
    if (mode === 'ct') {
      const pass = attempt?.lastCtPass();
      const needle = pass?.needle;
      // The slices go to the tip once per pass, then stay where the trainee scrolls them.
      const follow: Follow = needle && pass.passes !== this.lastPassShown ? 'tip' : 'none';
      this.lastPassShown = pass?.passes;
      return needle ? { ...common, needle, trajectory: trajectoryOf(needle), follow } : { ...common, follow: 'none' };
    }
    const navigated = this.state.snapshot?.navigated;
    const settings = this.state.scannerSettings();
    const needle = navigated?.needle;
    const model = session.probeModel;
    const follow: Follow = this.follow === 'tip' && !needle ? 'none' : this.follow;
    return {
      ...common,
      ...(needle ? { needle, trajectory: trajectoryOf(needle) } : {}),
      ...(navigated?.imageToCt && settings ? { usPlane: { imageToCt: navigated.imageToCt, widthMm: model.columns * model.mmPerPixel, depthMm: settings.depthMm } } : {}),
      follow: follow === 'probe' && !navigated?.imageToCt ? 'none' : follow,
    };
  }
}

/** The straight extrapolation beyond the tip (hub → tip direction), for the dashed trajectory. */
function trajectoryOf(needle: { readonly tip: Vec3; readonly hub: Vec3 }): { from: Vec3; to: Vec3 } {
  return { from: needle.tip, to: addScaled(needle.tip, normalize(subtract(needle.tip, needle.hub)), TRAJECTORY_MM) };
}
