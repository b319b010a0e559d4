import type { Vec3 } from '../../core/geometry/vec3';
import { huAtCtPoint, type CtVolume } from '../../core/volume/ctVolume';

/** "LPS 12.3, −45.0, 210.5 mm · 43 HU" for the point under the pointer. */
export function renderCursorReadout(element: HTMLElement, volume: CtVolume | undefined, pointInCt: Vec3 | undefined): void {
  if (!volume || !pointInCt) {
    element.textContent = 'Move over a view to read position (LPS mm) and HU.';
    return;
  }
  const hu = huAtCtPoint(volume, pointInCt);
  const position = pointInCt.map((v) => v.toFixed(1)).join(', ');
  element.textContent = `LPS ${position} mm · ${hu === undefined ? 'outside the volume' : `${Math.round(hu)} HU`}`;
  element.dataset.lps = pointInCt.join(',');
  element.dataset.hu = hu === undefined ? '' : String(hu);
}
