import { filesFromDrop, type GivenFile } from '../loading/collectFiles';

/** Files dropped anywhere on the page: an overlay while dragging, the files (or why they could not be read) on drop. */
export function installDropZone(overlay: HTMLElement, onFiles: (files: GivenFile[]) => void, onError: (message: string) => void): void {
  let depth = 0;
  window.addEventListener('dragenter', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    depth++;
    overlay.hidden = false;
  });
  window.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  window.addEventListener('dragover', (event) => event.preventDefault());
  window.addEventListener('drop', (event) => {
    event.preventDefault();
    depth = 0;
    overlay.hidden = true;
    if (!event.dataTransfer) return;
    filesFromDrop(event.dataTransfer).then(onFiles, (error: unknown) => onError(`The dropped items could not be read: ${String(error)}`));
  });
}
