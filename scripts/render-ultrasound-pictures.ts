/**
 * README pictures of the simulated ultrasound, each beside the CT plane it comes from, rendered
 * from the shipped DICOM with the same probe geometry the app uses:
 *   docs/us-lumbar-transverse.png, docs/us-lumbar-transverse-interlaminar.png,
 *   docs/us-lumbar-paramedian-sagittal.png,
 *   docs/us-lumbar-in-plane-needle.png, docs/us-hip-femoral-neck.png, docs/us-hip-injection.png,
 *   docs/us-hip-effusion-femoral-neck.png
 * and, when ../shared/testdata/ct-lumbar-tcia is present, three views of that real CT (TCIA
 * Pancreatic-CT-CBCT-SEG, Pancreas-CT-CB_001, CC BY 4.0), rendered by the same function as
 * `npm run ultrasound-image`: docs/us-realct-transverse-spinous.png,
 * docs/us-realct-paramedian-sagittal-oblique.png, docs/us-realct-parasagittal-transverse-processes.png
 *
 *   npm run pictures                                           (all)
 *   tsx scripts/render-ultrasound-pictures.ts --real-ct-only   (the real-CT views only)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CaseFile } from '../src/core/cases/caseFile';
import { compose } from '../src/core/frames/transform';
import { addScaled, cross, dot, normalize, subtract, type Vec3 } from '../src/core/geometry/vec3';
import { skinContact } from '../src/core/navigation/skinContact';
import { reslicePlane } from '../src/core/reslice/reslicePlane';
import { gaugeDiameterMm, SPINAL_NEEDLE_22G_15CM } from '../src/core/tracking/needleModel';
import { imageToProbe, isInFieldOfView, PROBE_MODELS, type ProbeModel } from '../src/core/tracking/probeModels';
import { probePoseInCt } from '../src/core/tracking/simulatedRoom';
import { defaultUltrasoundSettings, synthesizeUltrasound, type NeedleInCt } from '../src/core/ultrasound/synthesizeUltrasound';
import type { CtVolume } from '../src/core/volume/ctVolume';
import { planeOf } from '../src/app/fusion/fusionView';
import { readCaseVolume } from './lib/readCaseVolume';
import { injectionAcousticRegions } from '../src/core/ctpass/injectateSpread';
import type { AcousticRegionSpec } from '../src/core/ultrasound/acousticRegions';
import { trilinearSampler } from '../src/core/volume/trilinearSampler';
import { ctToCtIjk } from '../src/core/volume/volumeGeometry';
import { encodePngRgb } from './lib/writePng';
import { caseAcousticRegions } from '../src/core/cases/caseAcousticRegions';
import { huAtCtPoint } from '../src/core/volume/ctVolume';
import { readDicomFolder } from './lib/readDicomFolder';
import { renderUltrasoundImage, type UltrasoundImageRequest } from './lib/ultrasoundImage';

const ROOT = resolve(import.meta.dirname, '..');
const REAL_CT = resolve(ROOT, '../shared/testdata/ct-lumbar-tcia');
const realCtOnly = process.argv.includes('--real-ct-only');

/** The ultrasound (left) beside its CT plane (right, soft-tissue window), the CT shown only inside the field of view. */
function sideBySide(file: string, model: ProbeModel, us: ArrayLike<number>, ct: Float32Array): void {
  const gap = 8;
  const width = model.columns * 2 + gap;
  const rgb = new Uint8Array(width * model.rows * 3);
  for (let r = 0; r < model.rows; r++) {
    for (let c = 0; c < model.columns; c++) {
      const u = us[r * model.columns + c]!;
      rgb.set([u, u, u], (r * width + c) * 3);
      const inside = isInFieldOfView(model, c, r);
      const g = inside ? Math.max(0, Math.min(255, ((ct[r * model.columns + c]! + 160) / 400) * 255)) : 0;
      rgb.set([g, g, g], (r * width + model.columns + gap + c) * 3);
    }
  }
  writeFileSync(join(ROOT, 'docs', file), encodePngRgb(width, model.rows, rgb));
  console.log(`wrote docs/${file}`);
}

function picture(
  file: string,
  volume: CtVolume,
  model: ProbeModel,
  face: Vec3,
  depth: Vec3,
  array: Vec3,
  needle?: NeedleInCt,
  regions: AcousticRegionSpec[] = [],
  caseGainDb?: number,
): void {
  const contact = skinContact(volume, addScaled(face, depth, -80), depth) ?? face;
  const imageToCt = compose(probePoseInCt(contact, depth, array, model.sensorToFaceMm), imageToProbe(model));
  const us = synthesizeUltrasound(volume, imageToCt, model, defaultUltrasoundSettings(model, caseGainDb), needle, { regions, timeMs: 0 }).image;
  sideBySide(file, model, us, reslicePlane(volume, planeOf(imageToCt, model)));
}

/**
 * The transverse plane through the interlaminar space nearest the disc target: candidates shifted
 * along z (±20 mm) and tilted about the left–right axis (±20°, a cephalad or caudal tilt); the one whose beams near the
 * midline cross the least bone (HU > 250) on their way from the skin to 2 cm short of the target.
 */
function interlaminarWindow(volume: CtVolume, target: Vec3): { through: Vec3; beam: Vec3; shiftMm: number; tiltDeg: number } {
  const sample = trilinearSampler(volume);
  let best = { score: Infinity, through: target, beam: [0, -1, 0] as Vec3, shiftMm: 0, tiltDeg: 0 };
  for (let shiftMm = -20; shiftMm <= 20; shiftMm += 1) {
    for (let tiltDeg = -20; tiltDeg <= 20; tiltDeg += 2.5) {
      const t = (tiltDeg * Math.PI) / 180;
      const beam: Vec3 = [0, -Math.cos(t), Math.sin(t)];
      const through: Vec3 = [target[0], target[1], target[2] + shiftMm];
      let bone = 0;
      for (const lateral of [-5, -2.5, 0, 2.5, 5]) {
        for (let depth = -90; depth < -20; depth += 0.5) {
          const [i, j, k] = ctToCtIjk(volume.geometry, addScaled([through[0] + lateral, through[1], through[2]], beam, depth));
          if ((sample(i, j, k) ?? -1000) > 250) bone++;
        }
      }
      const score = bone + Math.abs(tiltDeg) * 0.01 + Math.abs(shiftMm) * 0.01;
      if (score < best.score) best = { score, through, beam, shiftMm, tiltDeg };
    }
  }
  return best;
}

const read = (id: string) => {
  const folder = join(ROOT, 'sample-dicom', id);
  return { volume: readCaseVolume(folder), caseFile: JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile };
};

if (!realCtOnly) {
  const { volume, caseFile } = read('lumbar');
  // The case's tissues (muscle fibres, ligamenta flava) and vessels, as the app sends them.
  const regions = caseAcousticRegions(caseFile);
  const model = PROBE_MODELS['curvilinear-3.5'];
  const target = caseFile.targets[0]!.centre;
  const entry = caseFile.procedure.suggestedEntry!;
  // The plane of the L4–L5 disc, which holds the suggested path.
  const path = normalize(subtract(target, entry));
  const discNormal = normalize(cross([1, 0, 0], path));
  // Posterior within the disc plane (the path runs from the posterior entry to the target).
  const posteriorInDisc = normalize(cross([1, 0, 0], discNormal));
  const above = addScaled(target, posteriorInDisc, 150);
  // Transverse over L4–L5 (axial), through the spinous process: the bone's shadow hides the canal.
  picture('us-lumbar-transverse.png', volume, model, addScaled(target, [0, 1, 0], 150), [0, -1, 0], [1, 0, 0], undefined, regions);
  // Transverse interlaminar: the plane through the gap between the L4 and L5 laminae (the probe
  // moved along the spine and tilted cranially until the midline beam meets no bone before the
  // canal), where the posterior and anterior complexes show through the acoustic window.
  const window = interlaminarWindow(volume, target);
  picture('us-lumbar-transverse-interlaminar.png', volume, model, addScaled(window.through, window.beam, -150), window.beam, [1, 0, 0], undefined, regions);
  console.log(`interlaminar plane: ${window.shiftMm} mm along z, tilted ${window.tiltDeg}°`);
  // Paramedian sagittal oblique: 14 mm left of the midline, beam angled 5° toward it, array along
  // the spine — of offsets 8–20 mm and tilts 0–18°, the pose whose beams reach the most CSF
  // through the interlaminar windows (the laminae's sawtooth with the sac between them).
  const tilt = (5 * Math.PI) / 180;
  picture('us-lumbar-paramedian-sagittal.png', volume, model, [target[0] + 14, target[1] + 150, target[2]], [-Math.sin(tilt), -Math.cos(tilt), 0], [0, 0, 1], undefined, regions);
  // In-plane postero-lateral approach: the probe in the disc plane over the target, the needle 8 cm in.
  const needleTip = addScaled(entry, path, 80);
  picture(
    'us-lumbar-in-plane-needle.png',
    volume,
    model,
    above,
    [-posteriorInDisc[0], -posteriorInDisc[1], -posteriorInDisc[2]],
    [1, 0, 0],
    {
      tip: needleTip,
      hub: addScaled(needleTip, path, -SPINAL_NEEDLE_22G_15CM.lengthMm),
      diameterMm: gaugeDiameterMm(22),
    },
    regions,
  );
}
if (!realCtOnly)
  for (const [id, suffix] of [
    ['hip', ''],
    ['hip-effusion', '-effusion'],
  ] as const) {
    const { volume, caseFile } = read(id);
    const model = PROBE_MODELS['linear-7.5'];
    const recess = caseFile.targets[0]!.centre;
    const head = caseFile.landmarks!.find((l) => l.id === 'femoral-head-centre')!.point;
    const neckAxis = normalize(subtract(head, caseFile.landmarks!.find((l) => l.id === 'femoral-neck-base')!.point));
    const anterior = normalize(subtract(recess, addScaled(head, neckAxis, dot(subtract(recess, head), neckAxis))));
    // The case's tissues (cartilage, capsule, muscle fibres) and vessels, at the case's default gain.
    const regions = caseAcousticRegions(caseFile);
    const gain = caseFile.procedure.probe.gainDb;
    // Anterior oblique-sagittal along the femoral neck, centred on the head–neck junction: the
    // capsule on the neck (the "stripe"), or lifted by the effusion.
    picture(`us-hip${suffix}-femoral-neck.png`, volume, model, addScaled(recess, anterior, 120), [-anterior[0], -anterior[1], -anterior[2]], neckAxis, undefined, regions, gain);
    if (suffix) continue;
    // The same view after 5 mL injected at the recess through the suggested in-plane path: the fluid
    // fills the joint under the capsule along the neck (its compartment), anechoic.
    const entry = caseFile.procedure.suggestedEntry!;
    const path = normalize(subtract(recess, entry));
    const hub = addScaled(recess, path, -caseFile.procedure.needle.lengthMm);
    const injectate = injectionAcousticRegions([{ tip: recess, hub, volumeMl: 5, medium: 'fluid', startedAtMs: 0 }], 60_000, {
      volume,
      feedbackRegions: caseFile.feedbackRegions,
      avoid: caseFile.avoid,
    });
    picture(
      'us-hip-injection.png',
      volume,
      model,
      addScaled(recess, anterior, 120),
      [-anterior[0], -anterior[1], -anterior[2]],
      neckAxis,
      {
        tip: recess,
        hub,
        diameterMm: gaugeDiameterMm(caseFile.procedure.needle.gauge),
      },
      [...regions, ...injectate],
      gain,
    );
  }

/**
 * The real lumbar CT, SUPINE (HFS): the back lies on the table at +y, so every view is a
 * posterior scan with the probe on the back and the beam toward −y (anterior). Landmarks (LPS mm)
 * from test/unit/ultrasound/ultrasoundRealCt.test.ts and from sagittal and axial reslices of this volume:
 * midline x ≈ 8; L3 spinous tip (8, 178, 197); L3–L4 disc z ≈ 200; L3 body z 205–235, L4 body
 * z 167–195; left transverse processes at x ≈ 40–45, y ≈ 140–155, z ≈ 187 (L4), 220 (L3), 255 (L2),
 * 285 (L1), with psoas anterior to them.
 */
async function realCtPictures(): Promise<void> {
  if (!existsSync(REAL_CT)) {
    console.log(`skipped the real-CT views: ${REAL_CT} is absent`);
    return;
  }
  const { volume } = await readDicomFolder(REAL_CT);
  /**
   * The face on the skin of the back above `inside` (a point in the body), for a beam `beam`:
   * out from the body against the beam to the first 3 mm of air (not further: the table and
   * mattress lie behind the back), then back onto the skin.
   */
  const faceAbove = (inside: Vec3, beam: Vec3): Vec3 => {
    let t = 0;
    let air = 0;
    while (air < 6 && t < 200) {
      t += 0.5;
      air = (huAtCtPoint(volume, addScaled(inside, beam, -t)) ?? -1000) < -400 ? air + 1 : 0;
    }
    return skinContact(volume, addScaled(inside, beam, -t), beam) ?? addScaled(inside, beam, -t);
  };
  const view = (file: string, inside: Vec3, beam: Vec3, lateral: Vec3, depthMm = 110) => {
    const request: UltrasoundImageRequest = {
      probe: 'curvilinear',
      frequencyMHz: 3.5,
      depthMm,
      mmPerPixel: 0.25,
      faceCentreInCt: faceAbove(inside, beam),
      beamInCt: beam,
      lateralInCt: lateral,
    };
    const { image, model, imageToCt } = renderUltrasoundImage(volume, request);
    sideBySide(file, model, image, reslicePlane(volume, planeOf(imageToCt, model)));
    console.log(`  face ${request.faceCentreInCt.map((v) => v.toFixed(1)).join(', ')}, beam ${beam.map((v) => v.toFixed(3)).join(', ')}, lateral ${lateral.join(', ')}`);
  };
  const tilt = (deg: number): Vec3 => [-Math.sin((deg * Math.PI) / 180), -Math.cos((deg * Math.PI) / 180), 0];
  // Transverse over the L3 spinous process: image left = the patient's right, as a sonographer scanning the back sees it.
  view('us-realct-transverse-spinous.png', [8, 170, 197], [0, -1, 0], [1, 0, 0]);
  // Paramedian sagittal oblique: the face 26 mm left of the midline, the beam angled 15° toward it,
  // so it meets the laminae 8 mm from the midline (x = 16; at x = 22 it meets the rounded
  // articular processes instead), the array along the spine (cranial to the right): the sloping
  // laminae, and through the interlaminar windows between them echoes from the canal at 8–10 cm.
  view('us-realct-paramedian-sagittal-oblique.png', [16, 150, 205], tilt(15), [0, 0, 1]);
  // Parasagittal over the left transverse processes (x = 40: at 45 only their thin tips), 13 cm
  // deep: the "trident" of bright caps with finger-like shadows, psoas between and below them.
  view('us-realct-parasagittal-transverse-processes.png', [40, 150, 222], [0, -1, 0], [0, 0, 1], 130);
}

await realCtPictures();
