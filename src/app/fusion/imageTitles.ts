import type { GuidanceMode } from '../../core/rehearsal/sessionRecord';

/** The captions over the two images of the fusion tile, and the tile's accessible name. */
export interface ImageTitles {
  /** Over #us-canvas. */
  readonly ultrasound: string;
  /** Over #fusion-canvas. */
  readonly fused: string;
  /** The fusion tile's aria-label. */
  readonly tile: string;
}

/**
 * What each image of the fusion tile shows in a guidance mode: fusion shows the simulated
 * ultrasound beside the CT resliced at the tracked probe plane; ultrasound-only the ultrasound
 * alone; CT-only neither (the needle is seen on CT passes only).
 */
export function titlesFor(mode: GuidanceMode): ImageTitles {
  switch (mode) {
    case 'ultrasound':
      return {
        ultrasound: 'Ultrasound (simulated)',
        fused: 'No fused CT: ultrasound-only guidance',
        tile: 'Ultrasound-only guidance: the simulated ultrasound, without navigation',
      };
    case 'ct':
      return {
        ultrasound: 'No ultrasound: CT-only guidance, the needle is seen on CT passes only',
        fused: 'No fused CT: acquire a CT pass to see the needle',
        tile: 'CT-only guidance: no live image; the needle is seen on CT passes only',
      };
    default:
      return {
        ultrasound: 'Ultrasound (simulated)',
        fused: 'CT at the tracked plane (fusion)',
        tile: 'Fusion view: the simulated ultrasound and the CT at the tracked probe plane',
      };
  }
}
