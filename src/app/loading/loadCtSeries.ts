import { identityNotice } from '../../core/dicom/identityNotice';
import type { SliceHeader } from '../../core/dicom/sliceHeader';
import { startVolumeAssembly } from '../../core/series/assembleVolume';
import { planVolume } from '../../core/series/planVolume';
import { groupIntoSeries } from '../../core/series/seriesCandidate';
import type { VolumePlan } from '../../core/series/volumePlan';
import type { CtVolume } from '../../core/volume/ctVolume';
import { refusalOf, type AssessedSeries } from '../ui/seriesList';
import type { GivenFile } from './collectFiles';
import { decodeSlices } from './decodeWithCornerstone';
import { readHeaders } from './readHeaders';

/** What the files the user gave contain, before anything is decoded. */
export interface FileSurvey {
  readonly series: readonly AssessedSeries[];
  /** Problems with single files: unreadable, or no files at all. */
  readonly fileProblems: readonly string[];
  /** Worth knowing, nothing wrong: files that are not DICOM were skipped (a folder's README, a case file's neighbours). */
  readonly fileNotes: readonly string[];
  /** The series to load without asking: the CT with the most slices that can be loaded. */
  readonly automaticChoice: AssessedSeries | undefined;
  /** Finds a file's bytes again for decoding. */
  readonly sourceOf: (fileIndex: number) => File;
}

export async function surveyFiles(files: readonly GivenFile[], onStatus: (text: string) => void): Promise<FileSurvey> {
  const read = await readHeaders(files, (done) => onStatus(`Reading headers: ${done} of ${files.length} files…`));
  const headers: SliceHeader[] = [];
  const notDicom: string[] = [];
  const unreadable: string[] = [];
  for (const { result } of read) {
    if (result.kind === 'header') headers.push(result.header);
    else if (result.kind === 'unreadable') unreadable.push(`${result.fileName}: ${result.reason}`);
    else notDicom.push(result.fileName);
  }
  const fileProblems: string[] = [];
  const fileNotes: string[] = [];
  if (files.length === 0) fileProblems.push('No files were given. Choose a folder or files of a CT series.');
  if (notDicom.length > 0) {
    const examples = notDicom.slice(0, 3).join(', ') + (notDicom.length > 3 ? ', …' : '');
    fileNotes.push(`${notDicom.length} ${notDicom.length === 1 ? 'file was' : 'files were'} not DICOM and ${notDicom.length === 1 ? 'was' : 'were'} skipped (${examples}).`);
  }
  for (const line of unreadable) fileProblems.push(`Could not read ${line}.`);

  const series: AssessedSeries[] = groupIntoSeries(headers).map((candidate) => ({
    candidate,
    plan: candidate.notLoadableBecause ? undefined : planVolume(candidate.headers),
  }));
  const loadable = series.filter((s) => !refusalOf(s));
  const automaticChoice = loadable.reduce<AssessedSeries | undefined>((best, s) => (!best || s.candidate.headers.length > best.candidate.headers.length ? s : best), undefined);
  return { series, fileProblems, fileNotes, automaticChoice, sourceOf: (index) => read[index]!.source };
}

export interface LoadedCt {
  readonly volume: CtVolume;
  readonly plan: VolumePlan;
  readonly identityNotice: string | undefined;
}

/** Decodes a planned series into a CtVolume. Throws an Error whose message names what failed. */
export async function loadPlannedSeries(plan: VolumePlan, sourceOf: (fileIndex: number) => File, onStatus: (text: string) => void): Promise<LoadedCt> {
  let assembly;
  try {
    assembly = startVolumeAssembly(plan);
  } catch (error) {
    throw new Error(
      `there is not enough memory for this series (${(plan.voxelBytes / 1024 ** 2).toFixed(0)} MiB of voxels): close other tabs or load a smaller series (${String(error)})`,
      { cause: error },
    );
  }
  onStatus(`Decoding ${plan.slices.length} slices…`);
  await decodeSlices(plan, sourceOf, assembly, (done) => onStatus(`Decoding: ${done} of ${plan.slices.length} slices…`));
  const volume = assembly.finish();
  return { volume, plan, identityNotice: identityNotice(plan.slices.map((s) => s.header)) };
}
