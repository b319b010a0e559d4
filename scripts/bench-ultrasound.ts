/**
 * Ultrasound synthesis benchmark, in Node, one probe per process (two instances in one
 * process slow each other through shared JIT code): median ms per frame at 256 lines × 512
 * samples (and at the default sample count for the depth and frequency: a step of a third of the
 * axial PSF) on the bundled phantom that uses the probe, the probe held over the case's target.
 *
 *   tsx scripts/bench-ultrasound.ts curvilinear|linear [frames]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CaseFile } from '../src/core/cases/caseFile';
import { NavigationSession } from '../src/core/navigation/navigationSession';
import { moveProbe } from '../src/core/navigation/probeMotion';
import { defaultUltrasoundSettings, synthesizeUltrasound } from '../src/core/ultrasound/synthesizeUltrasound';
import { readCaseVolume } from './lib/readCaseVolume';
import { caseAcousticRegions } from '../src/core/cases/caseAcousticRegions';

const probe = process.argv[2] === 'linear' ? 'linear' : 'curvilinear';
const frames = Number(process.argv[3] ?? 40);
const id = probe === 'linear' ? 'hip' : 'lumbar';
const folder = resolve(import.meta.dirname, '../sample-dicom', id);
const caseFile = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile;
const volume = readCaseVolume(folder);
const session = new NavigationSession(volume, caseFile, 1);
session.placeProbeOverTarget(0);
const regions = caseAcousticRegions(caseFile);
for (const samples of [512, undefined]) {
  const settings = { ...defaultUltrasoundSettings(session.probeModel), lines: 256, ...(samples ? { samples } : {}) };
  const times: number[] = [];
  let count = 0;
  for (let frame = 0; frame < frames + 5; frame++) {
    // Slide the probe a little each frame, as a hand does.
    session.setProbe(moveProbe(volume, session.probeModel, session.probe()!, { kind: 'slide', alongArrayMm: frame % 2 ? 0.5 : -0.5, alongElevationMm: 0 }), frame);
    const started = performance.now();
    // With the case's acoustic regions (vessels, tissues with their fibres), as the app sends them.
    count = synthesizeUltrasound(volume, session.trueImageToCt()!, session.probeModel, settings, undefined, { regions, timeMs: frame * 40 }).samples;
    if (frame >= 5) times.push(performance.now() - started); // the first frames warm the JIT (and denoise the CT once)
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `ultrasound, ${session.probeModel.name} on the ${id} phantom, 256 × ${count}${samples ? '' : ' (default)'}: median ${median.toFixed(1)} ms per frame over ${frames} frames (Node, one core)`,
  );
}
