/**
 * Sizes each canvas inside its cell as large as the cell allows, at the canvas's own aspect ratio
 * (its pixel grid: `canvas.width × canvas.height`), centred. Explicit CSS sizes rather than
 * `object-fit`, so the element's box is the image: pointer mapping (the Doppler box's drag) and
 * getBoundingClientRect stay exact. Refits when a cell is resized or a canvas is re-gridded.
 */
export function fitCanvases(canvases: readonly HTMLCanvasElement[]): () => void {
  const fit = () => {
    for (const canvas of canvases) {
      const cell = canvas.parentElement;
      if (!cell || canvas.width === 0 || canvas.height === 0) continue;
      const style = getComputedStyle(cell);
      const w = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const h = cell.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      if (w <= 0 || h <= 0) continue;
      const ratio = canvas.width / canvas.height;
      const width = Math.floor(Math.min(w, h * ratio));
      const height = Math.floor(width / ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
  };
  const resize = new ResizeObserver(fit);
  const regrid = new MutationObserver(fit);
  for (const canvas of canvases) {
    if (canvas.parentElement) resize.observe(canvas.parentElement);
    regrid.observe(canvas, { attributes: true, attributeFilter: ['width', 'height'] });
  }
  fit();
  return fit;
}
