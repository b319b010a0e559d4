import type { CtVolume } from '../../core/volume/ctVolume';
import { huRange, patientDirectionLetter, sliceOrientationName } from '../../core/volume/describeVolume';
import { extentMm } from '../../core/volume/volumeGeometry';

export interface SummaryExtras {
  readonly sliceCount: number;
  readonly patientPosition: string | undefined;
}

const mm = (value: number) => value.toFixed(value < 10 ? 3 : 1).replace(/\.?0+$/, '');

/** The loaded volume as a radiologist checks it: matrix, spacing, orientation, series, slices. */
export function renderVolumeSummary(list: HTMLElement, warningsList: HTMLElement, volume: CtVolume, extras: SummaryExtras): void {
  const { geometry } = volume;
  const [nx, ny, nz] = geometry.dimensions;
  const [sx, sy, sz] = geometry.spacingMm;
  const [iAxis, jAxis] = geometry.axesInCt;
  const extent = extentMm(geometry);
  const range = huRange(volume.huVoxels);
  const entries: [string, string, string][] = [
    ['Series', volume.seriesDescription || '(no description)', 'description'],
    ['Matrix', `${nx} × ${ny} × ${nz}`, 'matrix'],
    ['Spacing', `${mm(sx)} × ${mm(sy)} × ${mm(sz)} mm`, 'spacing'],
    [
      'Orientation',
      `${sliceOrientationName(geometry)}; rows → ${patientDirectionLetter(iAxis)}, columns → ${patientDirectionLetter(jAxis)}${extras.patientPosition ? `; ${extras.patientPosition}` : ''}`,
      'orientation',
    ],
    ['Slices', `${extras.sliceCount} ${extras.sliceCount === 1 ? 'file' : 'files'} → ${nz} ${nz === 1 ? 'slice' : 'slices'}`, 'slices'],
    ['Extent', `${mm(extent[0])} × ${mm(extent[1])} × ${mm(extent[2])} mm`, 'extent'],
    ['Origin (LPS)', geometry.originInCt.map((v) => v.toFixed(1)).join(', ') + ' mm', 'origin'],
    ['HU', `${range.min} … ${range.max} (${volume.huVoxels instanceof Int16Array ? 'Int16' : 'Float32'})`, 'hu'],
  ];
  list.replaceChildren(
    ...entries.flatMap(([term, value, key]) => {
      const dd = Object.assign(document.createElement('dd'), { textContent: value });
      dd.dataset.key = key;
      return [Object.assign(document.createElement('dt'), { textContent: term }), dd];
    }),
  );
  warningsList.replaceChildren(...volume.warnings.map((warning) => Object.assign(document.createElement('li'), { textContent: warning })));
}
