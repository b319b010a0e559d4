import type { Shape } from './sdf';

/** One painted structure: its shape, its CT number and which tissue it stands for. */
export interface PhantomLayer {
  readonly name: string;
  readonly shape: Shape;
  /** HU painted inside (mean tissue value; noise is added after all layers). */
  readonly hu: number;
}

/** CT numbers (HU) used by the phantoms; ranges and sources in scripts/PHANTOMS.md. */
export const HU = {
  air: -1000,
  bowelGas: -950,
  fat: -100,
  skin: 30,
  csf: 8,
  jointFluid: 10,
  bowelContent: 15,
  viscera: 35,
  nerve: 35,
  blood: 42,
  muscle: 50,
  kidney: 32,
  capsule: 70,
  labrum: 75,
  nucleus: 75,
  cartilage: 100,
  annulus: 105,
  tendon: 90,
  ligamentumFlavum: 80,
  cancellous: 230,
  femoralHeadCancellous: 260,
  marrowFattyShaft: -40,
  cortical: 1100,
  markerPlastic: 120,
  bead: 2800,
} as const;
