/**
 * The largest voxel array the loader allocates. The volume is held once in JS and once more
 * as a WebGL texture, and Chromium caps a tab well below the machine's memory, so 1 GiB of
 * voxels (a 512×512×2000 series in Int16) is the default ceiling.
 */
export const DEFAULT_MAX_VOXEL_BYTES = 1024 ** 3;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
  return `${(bytes / 1024).toFixed(0)} KiB`;
}
