import type { VolumePlan } from '../../core/series/volumePlan';

/** One DICOM file of the loaded series, as it was decoded, with the name it gets in an export. */
export interface SeriesFile {
  readonly name: string;
  readonly file: File;
}

/**
 * The files the loaded series was decoded from, in slice order, each once (a multi-frame file
 * holds many slices): the bytes as loaded (a gzip-wrapped or deflated file comes out
 * uncompressed, readable by any DICOM reader). Names keep the given file's name, end in .dcm and
 * are unique in the archive.
 */
export function seriesFilesOf(plan: VolumePlan, sourceOf: (fileIndex: number) => File): SeriesFile[] {
  const seen = new Set<number>();
  const names = new Set<string>();
  const out: SeriesFile[] = [];
  for (const { header } of plan.slices) {
    if (seen.has(header.fileIndex)) continue;
    seen.add(header.fileIndex);
    const base = (header.fileName.split('/').pop() ?? header.fileName).replace(/\.gz$/i, '') || `slice-${header.fileIndex + 1}`;
    const withExtension = /\.(dcm|dicom)$/i.test(base) ? base : `${base}.dcm`;
    let name = withExtension;
    for (let n = 2; names.has(name.toLowerCase()); n++) name = withExtension.replace(/(\.\w+)$/, `-${n}$1`);
    names.add(name.toLowerCase());
    out.push({ name, file: sourceOf(header.fileIndex) });
  }
  return out;
}
