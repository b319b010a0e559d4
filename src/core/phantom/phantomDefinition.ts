import type { CaseFile } from '../cases/caseFile';
import type { VolumeGeometry } from '../volume/volumeGeometry';
import type { PhantomLayer } from './phantomLayer';

/** Everything needed to write one phantom: its grid, its painted layers (in order) and its case file. */
export interface PhantomDefinition {
  readonly id: string;
  readonly seriesDescription: string;
  readonly bodyPartExamined: string;
  readonly laterality?: 'R' | 'L';
  readonly patientPosition: 'HFS' | 'HFP' | 'FFS' | 'FFP';
  readonly geometry: VolumeGeometry;
  readonly sliceThicknessMm: number;
  readonly layers: readonly PhantomLayer[];
  /** Standard deviation of the CT noise inside the body (HU). */
  readonly noiseSdHu: number;
  readonly caseFile: CaseFile;
}
