/**
 * Turns what the user gave (an <input type="file">, a drop of files or folders, the bundled
 * case) into a flat list of files with the path they had, for messages.
 */
export interface GivenFile {
  readonly file: File;
  /** Relative path when a folder was given, otherwise the file name. */
  readonly path: string;
}

export function filesFromInput(input: HTMLInputElement): GivenFile[] {
  return [...(input.files ?? [])].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/** Files and folders dropped on the page; folders are walked recursively. */
export async function filesFromDrop(dataTransfer: DataTransfer): Promise<GivenFile[]> {
  const entries = [...dataTransfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
  if (entries.length === 0) return [...dataTransfer.files].map((file) => ({ file, path: file.name }));
  const out: GivenFile[] = [];
  for (const entry of entries) await walk(entry, out);
  return out;
}

async function walk(entry: FileSystemEntry, out: GivenFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\//, '') });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most ~100 entries per call: read until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, out);
  }
}

/** The bundled cases, listed in `/sample-dicom/index.json` and fetched from this origin only. */
export interface BundledCase {
  readonly id: string;
  readonly title: string;
  readonly folder: string;
  /** The case file beside the series (targets, structures to avoid, fiducials), if any. */
  readonly caseFile?: string;
  readonly files: readonly string[];
}

export async function listBundledCases(): Promise<BundledCase[]> {
  const response = await fetch('/sample-dicom/index.json');
  if (!response.ok) throw new Error(`the bundled case list could not be read (HTTP ${response.status}); run "npm run sample" to generate it`);
  const index = (await response.json()) as { cases: BundledCase[] };
  return index.cases;
}

export async function filesOfBundledCase(bundled: BundledCase): Promise<GivenFile[]> {
  const names = bundled.caseFile ? [...bundled.files, bundled.caseFile] : bundled.files;
  return Promise.all(
    names.map(async (name) => {
      const path = `${bundled.folder}/${name}`;
      const response = await fetch(`/sample-dicom/${path}`);
      if (!response.ok) throw new Error(`bundled file ${path} could not be read (HTTP ${response.status})`);
      return { file: new File([await response.blob()], name), path };
    }),
  );
}
