import { buildCaseFile } from '../../core/cases/buildCaseFile';
import type { CaseFile } from '../../core/cases/caseFile';
import * as drafts from '../../core/cases/caseDraft';
import type { CaseDraft } from '../../core/cases/caseDraft';
import { detectExternalMarker, snapToBrightBlob } from '../../core/cases/fiducialsFromCt';
import type { Vec3 } from '../../core/geometry/vec3';
import { findBrightBlobs, type BrightBlob } from '../../core/registration/findBrightBlobs';
import type { VolumePlan } from '../../core/series/volumePlan';
import { huAtCtPoint, type CtVolume } from '../../core/volume/ctVolume';
import { buildAuthoringForm, el, type AuthoringForm } from './authoringForm';
import { caseArchive, caseFileText, downloadBlob } from './caseArchive';
import { indexedDbDraftStore, type DraftStore } from './draftStore';
import { formatPoint, renderItemLists } from './itemLists';
import { seriesFilesOf } from './seriesFiles';

/** What the panel needs from the app (main.ts wires it). */
export interface AuthoringHost {
  /** The crosshair of the planning views (Ct, LPS mm): where items are placed. */
  crosshair(): Vec3;
  setCrosshair(pointInCt: Vec3): void;
  /** Opens a case on the running app: views, fusion, case panel. */
  useCase(caseFile: CaseFile): void;
}

interface LoadedSeries {
  readonly volume: CtVolume;
  readonly plan: VolumePlan;
  readonly sourceOf: (fileIndex: number) => File;
}

/**
 * Case authoring for the CT on screen: an instructor starts a draft (empty, or a copy of the
 * open case), places targets, structures to avoid, fiducials and the suggested entry at the
 * crosshair, and saves case.json, uses it at once, or exports it zipped with the series.
 * The draft is the core's pure CaseDraft; every edit replaces it and autosaves it in this
 * browser under the series' UID, and loading that series again restores it.
 */
export class CaseAuthoringPanel {
  private readonly form: AuthoringForm;
  private series: LoadedSeries | undefined;
  private openCase: CaseFile | undefined;
  private draft: CaseDraft | undefined;
  private blobs: BrightBlob[] | undefined;
  /** Autosaves run one after another, so the last edit is the one stored. */
  private saving: Promise<unknown> = Promise.resolve();
  /** Which series load a pending restore belongs to (a later load wins). */
  private loadCount = 0;
  private discardArmed: ReturnType<typeof setTimeout> | undefined;
  /** Autosaves queued and not yet written (shown as data-autosave="pending" | "saved" for tests and for the curious). */
  private pendingSaves = 0;

  constructor(
    private readonly details: HTMLDetailsElement,
    private readonly host: AuthoringHost,
    private readonly store: DraftStore = indexedDbDraftStore,
  ) {
    this.form = buildAuthoringForm();
    details.append(this.form.root);
    this.listen();
    this.render();
  }

  /** A series was loaded (with the case opened with it, if any): restore its draft, if one was saved. */
  seriesLoaded(volume: CtVolume, plan: VolumePlan, sourceOf: (fileIndex: number) => File, openCase: CaseFile | undefined): void {
    this.series = { volume, plan, sourceOf };
    this.openCase = openCase;
    this.draft = undefined;
    this.blobs = undefined;
    this.showProblems([]);
    this.setStatus('');
    this.render();
    this.crosshairMoved(this.host.crosshair());
    const load = ++this.loadCount;
    this.store.load(plan.seriesInstanceUid).then(
      (stored) => {
        if (load !== this.loadCount || !stored || this.draft) return;
        this.draft = stored.draft;
        this.fillFields();
        this.render();
        this.setStatus(`Draft restored from ${new Date(stored.savedAtMs).toLocaleString()}.`);
        this.details.open = true;
      },
      (error: unknown) => this.setStatus(`The saved draft could not be read (${String(error)}); you can start a new one.`),
    );
  }

  /** The crosshair moved: show where an item would go, and the HU there. */
  crosshairMoved(pointInCt: Vec3): void {
    const volume = this.series?.volume;
    if (!volume) return;
    const hu = huAtCtPoint(volume, pointInCt);
    this.form.crosshair.textContent = `Crosshair: LPS ${formatPoint(pointInCt)} mm · ${hu === undefined ? 'outside the CT' : `${Math.round(hu)} HU`}`;
    this.form.crosshair.dataset.lps = pointInCt.join(',');
  }

  private listen(): void {
    const f = this.form;
    f.newDraft.addEventListener('click', () => {
      if (!this.series) return;
      const { plan } = this.series;
      this.start(drafts.newDraft({ seriesInstanceUid: plan.seriesInstanceUid, patientPosition: plan.slices[0]?.header.patientPosition ?? '' }), 'New draft for this CT.');
    });
    f.editOpenCase.addEventListener('click', () => {
      if (!this.series || !this.openCase) return;
      const uid = this.series.plan.seriesInstanceUid;
      const other = this.openCase.series.seriesInstanceUid !== uid;
      this.start(
        drafts.draftFromCase(this.openCase, uid),
        other ? 'Draft copied from the open case, which was written for another series: check every point on this CT.' : 'Draft copied from the open case.',
      );
    });
    f.discard.addEventListener('click', () => this.discard());

    // Text and number fields: every keystroke is an edit (autosaved); the form is not redrawn, so focus stays.
    const d = f.details;
    const p = f.procedure;
    const number = (input: HTMLInputElement) => input.valueAsNumber;
    const onInput = (input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, change: (draft: CaseDraft) => CaseDraft) =>
      input.addEventListener(input instanceof HTMLSelectElement ? 'change' : 'input', () => this.edit(change, { redraw: false }));
    onInput(d.id, (x) => drafts.withDetails(x, { id: d.id.value }));
    onInput(d.title, (x) => drafts.withDetails(x, { title: d.title.value }));
    onInput(d.description, (x) => drafts.withDetails(x, { description: d.description.value }));
    onInput(d.patientPosition, (x) => drafts.withDetails(x, { patientPosition: d.patientPosition.value }));
    onInput(p.name, (x) => drafts.withProcedure(x, { name: p.name.value }));
    onInput(p.approach, (x) => drafts.withProcedure(x, { approach: p.approach.value }));
    onInput(p.probeType, (x) => drafts.withProcedure(x, { probeType: p.probeType.value === 'linear' ? 'linear' : 'curvilinear' }));
    onInput(p.frequencyMHz, (x) => drafts.withProcedure(x, { frequencyMHz: number(p.frequencyMHz) }));
    onInput(p.needleGauge, (x) => drafts.withProcedure(x, { needleGauge: number(p.needleGauge) }));
    onInput(p.needleLengthMm, (x) => drafts.withProcedure(x, { needleLengthMm: number(p.needleLengthMm) }));
    onInput(p.needleType, (x) => drafts.withProcedure(x, { needleType: p.needleType.value }));

    // Items at the crosshair.
    const at = () => this.host.crosshair();
    const t = f.target;
    t.add.addEventListener('click', () =>
      this.edit(
        (x) =>
          drafts.addTarget(x, { name: t.name.value, priority: t.priority.value === 'secondary' ? 'secondary' : 'primary', centre: at(), acceptanceRadiusMm: number(t.radius) }),
        {
          done: () => (t.name.value = ''),
        },
      ),
    );
    const a = f.avoid;
    const kind = () => a.kind.value as drafts.AvoidKind;
    a.addSphere.addEventListener('click', () =>
      this.edit((x) => drafts.addSphere(x, { name: a.name.value, kind: kind(), centre: at(), radiusMm: number(a.radius) }), { done: () => (a.name.value = '') }),
    );
    a.addTubePoint.addEventListener('click', () => this.edit((x) => drafts.addTubePoint(x, at())));
    a.finishTube.addEventListener('click', () =>
      this.edit((x) => drafts.finishTube(x, { name: a.name.value, kind: kind(), radiusMm: number(a.radius) }), { done: () => (a.name.value = '') }),
    );
    a.cancelTube.addEventListener('click', () => this.edit(drafts.cancelTube));
    f.skin.add.addEventListener('click', () => this.addSkinMarker());
    f.marker.detect.addEventListener('click', () => this.detectMarker());
    f.marker.remove.addEventListener('click', () => this.edit((x) => drafts.setMarker(x, undefined)));
    f.entry.set.addEventListener('click', () => this.edit((x) => drafts.setSuggestedEntry(x, at())));
    f.entry.clear.addEventListener('click', () => this.edit((x) => drafts.setSuggestedEntry(x, undefined)));

    f.save.addEventListener('click', () => {
      const caseFile = this.finished();
      if (!caseFile) return;
      downloadBlob(new Blob([caseFileText(caseFile)], { type: 'application/json' }), 'case.json');
      this.setStatus('case.json saved to your downloads: put it in the folder of the series (or give it with the DICOM files).');
    });
    f.use.addEventListener('click', () => {
      const caseFile = this.finished();
      if (!caseFile) return;
      this.openCase = caseFile;
      this.host.useCase(caseFile);
      this.setStatus(`"${caseFile.title}" is now the open case.`);
    });
    f.exportZip.addEventListener('click', () => void this.exportZip());
  }

  /** Applies one edit to the draft, redraws what it changed and autosaves; a refused edit is shown, the draft unchanged. */
  private edit(change: (draft: CaseDraft) => CaseDraft, options: { redraw?: boolean; done?: () => void; note?: string } = {}): void {
    if (!this.draft) return;
    try {
      this.draft = change(this.draft);
    } catch (error) {
      this.showProblems([sentence(error instanceof Error ? error.message : String(error))]);
      return;
    }
    this.showProblems([]);
    options.done?.();
    if (options.redraw !== false) this.render();
    this.autosave(options.note);
  }

  private start(draft: CaseDraft, note: string): void {
    this.draft = draft;
    this.fillFields();
    this.showProblems([]);
    this.render();
    this.autosave(note);
  }

  private autosave(note?: string): void {
    const uid = this.series?.plan.seriesInstanceUid;
    const draft = this.draft;
    if (!uid || !draft) return;
    this.pendingSaves++;
    this.form.root.dataset.autosave = 'pending';
    this.saving = this.saving
      .then(() => this.store.save(uid, draft))
      .finally(() => {
        if (--this.pendingSaves === 0) this.form.root.dataset.autosave = 'saved';
      })
      .then(
        (stored) => {
          if (this.series?.plan.seriesInstanceUid !== uid) return;
          this.setStatus(`${note ? `${note} ` : ''}Draft saved in this browser at ${new Date(stored.savedAtMs).toLocaleTimeString()}.`);
        },
        (error: unknown) => this.showProblems([`The draft could not be saved in this browser (${String(error)}): save case.json to keep your work.`]),
      );
  }

  private discard(): void {
    const f = this.form;
    if (!this.discardArmed) {
      f.discard.textContent = 'Click again to discard the draft';
      this.discardArmed = setTimeout(() => this.disarmDiscard(), 4000);
      return;
    }
    this.disarmDiscard();
    const uid = this.series?.plan.seriesInstanceUid;
    this.draft = undefined;
    this.render();
    if (uid) {
      this.saving = this.saving
        .then(() => this.store.remove(uid))
        .then(
          () => this.setStatus('Draft discarded.'),
          (error: unknown) => this.setStatus(`The draft could not be removed from this browser (${String(error)}).`),
        );
    }
  }

  private disarmDiscard(): void {
    clearTimeout(this.discardArmed);
    this.discardArmed = undefined;
    this.form.discard.textContent = 'Discard draft';
  }

  private brightBlobs(): BrightBlob[] {
    this.blobs ??= findBrightBlobs(this.series!.volume);
    return this.blobs;
  }

  private addSkinMarker(): void {
    if (!this.series) return;
    const crosshair = this.host.crosshair();
    const snapped = this.form.skin.snap.checked ? snapToBrightBlob(crosshair, this.brightBlobs()) : undefined;
    const centre = snapped?.centreInCt ?? crosshair;
    const note = snapped
      ? `Skin marker snapped to the bead ${Math.hypot(centre[0] - crosshair[0], centre[1] - crosshair[1], centre[2] - crosshair[2]).toFixed(1)} mm from the crosshair.`
      : this.form.skin.snap.checked
        ? 'No bead within 8 mm: skin marker placed at the crosshair.'
        : undefined;
    this.edit((x) => drafts.addSkinMarker(x, centre, this.form.skin.diameter.valueAsNumber), { note });
    if (snapped) this.host.setCrosshair(centre);
  }

  private detectMarker(): void {
    if (!this.series) return;
    const detected = detectExternalMarker(this.brightBlobs());
    if ('reason' in detected) {
      this.showProblems([sentence(detected.reason)]);
      return;
    }
    this.edit((x) => drafts.setMarker(x, detected.marker), { note: `External marker found: ${detected.marker.beadsInCt.length} beads, fit ${detected.freMm.toFixed(2)} mm.` });
  }

  /** The case file, or undefined with every problem shown. */
  private finished(): CaseFile | undefined {
    if (!this.draft) return undefined;
    const result = buildCaseFile(this.draft);
    if (!result.ok) {
      this.showProblems(result.errors, 'case.json is not complete yet; fix these fields (names as in docs/case-file.md):');
      return undefined;
    }
    this.showProblems([]);
    return result.caseFile;
  }

  private async exportZip(): Promise<void> {
    const caseFile = this.finished();
    if (!caseFile || !this.series) return;
    const files = seriesFilesOf(this.series.plan, this.series.sourceOf);
    const button = this.form.exportZip;
    button.disabled = true;
    try {
      const zip = await caseArchive(caseFile, files, (done) => this.setStatus(`Writing the zip: ${done} of ${files.length} DICOM files…`));
      downloadBlob(zip, `${caseFile.id}.zip`);
      this.setStatus(`${caseFile.id}.zip saved to your downloads: case.json and ${files.length} DICOM files (${(zip.size / 1024 ** 2).toFixed(1)} MB).`);
    } catch (error) {
      this.showProblems([`The zip could not be made: ${error instanceof Error ? error.message : String(error)}. Save case.json instead and copy it beside the series.`]);
    } finally {
      button.disabled = false;
    }
  }

  /** Puts the draft's details into the text fields (on start and restore only: typing must not be overwritten). */
  private fillFields(): void {
    const c = this.draft?.caseFile;
    if (!c) return;
    const { details: d, procedure: p } = this.form;
    d.id.value = c.id;
    d.title.value = c.title;
    d.description.value = c.description;
    d.patientPosition.value = c.series.patientPosition;
    d.seriesUid.textContent = c.series.seriesInstanceUid;
    p.name.value = c.procedure.name;
    p.approach.value = c.procedure.approach;
    p.probeType.value = c.procedure.probe.type;
    p.frequencyMHz.value = String(c.procedure.probe.frequencyMHz ?? '');
    p.needleGauge.value = String(c.procedure.needle.gauge ?? '');
    p.needleLengthMm.value = String(c.procedure.needle.lengthMm ?? '');
    p.needleType.value = c.procedure.needle.type;
  }

  private render(): void {
    const f = this.form;
    const draft = this.draft;
    f.start.hidden = draft !== undefined;
    f.editor.hidden = draft === undefined;
    f.newDraft.disabled = !this.series;
    f.editOpenCase.disabled = !this.series || !this.openCase;
    if (!this.series) this.setStatus('Load a CT to write a case for it.');
    if (!draft) return;
    renderItemLists({ targets: f.target.list, avoid: f.avoid.list, skinMarkers: f.skin.list }, draft, {
      goTo: (p) => this.host.setCrosshair(p),
      renameTarget: (id, name) => this.edit((x) => drafts.updateTarget(x, id, { name })),
      setTargetPriority: (id, priority) => this.edit((x) => drafts.updateTarget(x, id, { priority })),
      removeTarget: (id) => this.edit((x) => drafts.removeTarget(x, id)),
      renameAvoid: (id, name) => this.edit((x) => drafts.updateAvoid(x, id, { name })),
      setAvoidKind: (id, kind) => this.edit((x) => drafts.updateAvoid(x, id, { kind })),
      removeAvoid: (id) => this.edit((x) => drafts.removeAvoid(x, id)),
      renameSkinMarker: (id, newId) => this.edit((x) => drafts.renameSkinMarker(x, id, newId)),
      removeSkinMarker: (id) => this.edit((x) => drafts.removeSkinMarker(x, id)),
    });
    const tube = draft.tubePoints;
    f.avoid.tube.textContent = tube.length === 0 ? '' : `Tube being drawn: ${tube.length} point${tube.length === 1 ? '' : 's'}, last at ${formatPoint(tube[tube.length - 1]!)}.`;
    f.avoid.tube.hidden = tube.length === 0;
    f.avoid.finishTube.disabled = tube.length < 2;
    f.avoid.cancelTube.disabled = tube.length === 0;
    f.avoid.addTubePoint.textContent = tube.length === 0 ? 'Start tube at crosshair' : `Add tube point ${tube.length + 1} at crosshair`;
    const marker = draft.caseFile.fiducials.marker;
    f.marker.summary.textContent = marker
      ? `${marker.name}: ${marker.beadsInCt.length} beads of ${marker.beadDiameterMm} mm.`
      : 'No external marker: automatic registration will not be offered.';
    f.marker.remove.disabled = !marker;
    const entry = draft.caseFile.procedure.suggestedEntry;
    f.entry.summary.textContent = entry ? `Entry at LPS ${formatPoint(entry)} mm.` : 'No suggested entry (optional).';
    f.entry.clear.disabled = !entry;
  }

  private setStatus(text: string): void {
    this.form.status.textContent = text;
  }

  private showProblems(lines: readonly string[], heading?: string): void {
    const box = this.form.problems;
    box.hidden = lines.length === 0;
    box.replaceChildren(
      ...(heading ? [el('p', { textContent: heading })] : []),
      ...(lines.length > 0 ? [el('ul', {}, ...lines.map((line) => el('li', { textContent: line })))] : []),
    );
  }
}

/** An error message from the core ("give the target a name first") as a sentence. */
const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1) + (/[.?!]$/.test(text) ? '' : '.');
