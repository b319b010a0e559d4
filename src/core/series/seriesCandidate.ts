import type { SliceHeader } from '../dicom/sliceHeader';
import { isDecodableTransferSyntax } from '../dicom/transferSyntax';

/** One series found among the files the user gave, before anything is decoded. */
export interface SeriesCandidate {
  readonly seriesInstanceUid: string;
  readonly modality: string;
  readonly description: string;
  readonly seriesNumber: number | undefined;
  /** Files of the series, in the order they were given (planVolume sorts them). */
  readonly headers: readonly SliceHeader[];
  readonly rows: number | undefined;
  readonly columns: number | undefined;
  /** Why this series can never be a CT volume here (not CT, no image …), or undefined. */
  readonly notLoadableBecause: string | undefined;
}

/** Groups headers by SeriesInstanceUID, keeping the order in which each series first appeared. */
export function groupIntoSeries(headers: readonly SliceHeader[]): SeriesCandidate[] {
  const bySeries = new Map<string, SliceHeader[]>();
  for (const header of headers) {
    const list = bySeries.get(header.seriesInstanceUid);
    if (list) list.push(header);
    else bySeries.set(header.seriesInstanceUid, [header]);
  }
  return [...bySeries.values()].map((seriesHeaders) => {
    const first = seriesHeaders[0]!;
    return {
      seriesInstanceUid: first.seriesInstanceUid,
      modality: first.modality ?? 'unknown',
      description: first.seriesDescription ?? '(no description)',
      seriesNumber: first.seriesNumber,
      headers: seriesHeaders,
      rows: first.rows,
      columns: first.columns,
      notLoadableBecause: whyNotLoadable(seriesHeaders),
    };
  });
}

function whyNotLoadable(headers: readonly SliceHeader[]): string | undefined {
  const first = headers[0]!;
  const modality = first.modality ?? 'unknown';
  if (headers.every((h) => h.pixelData.kind === 'absent')) {
    return `it holds no image (no PixelData): a ${modality} object such as a report or a dose summary`;
  }
  if (modality !== 'CT') {
    return `it is ${modality === 'unknown' ? 'of unknown modality' : modality}, not CT: the simulator navigates on CT volumes`;
  }
  const colour = headers.find((h) => h.samplesPerPixel !== 1);
  if (colour) return `its images are colour (${colour.photometricInterpretation ?? 'samples per pixel ' + colour.samplesPerPixel}), not CT grey levels`;
  const multiFrame = headers.find((h) => h.numberOfFrames > 1);
  if (multiFrame) {
    return `${multiFrame.fileName} is a multi-frame image (${multiFrame.numberOfFrames} frames); only single-frame CT slices are supported: export the series as one file per slice`;
  }
  const undecodable = headers.find((h) => !isDecodableTransferSyntax(h.transferSyntaxUid));
  if (undecodable) {
    return `${undecodable.fileName} uses transfer syntax ${undecodable.transferSyntaxUid}, which the image decoders cannot read; re-export it uncompressed or with JPEG/JPEG-LS/JPEG 2000/RLE`;
  }
  return undefined;
}
