import type { CaseFile } from '../../core/cases/caseFile';
import { validateCaseFile } from '../../core/cases/validateCaseFile';
import type { GivenFile } from './collectFiles';

export const isCaseFileCandidate = (file: GivenFile): boolean => file.path.toLowerCase().endsWith('.json');

/** Reads and validates a case.json among the given files; problems name the file and the field. */
export async function readCaseFile(files: readonly GivenFile[]): Promise<{ caseFile?: CaseFile; problems: string[] }> {
  const candidates = files.filter(isCaseFileCandidate);
  if (candidates.length === 0) return { problems: [] };
  if (candidates.length > 1) {
    return { problems: [`${candidates.length} JSON files were given (${candidates.map((c) => c.path).join(', ')}); give one case file with its series.`] };
  }
  const { file, path } = candidates[0]!;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await file.text());
  } catch (error) {
    return { problems: [`${path} is not valid JSON (${error instanceof Error ? error.message : String(error)}); the CT was loaded without a case.`] };
  }
  const result = validateCaseFile(parsed);
  if (!result.ok) {
    const shown = result.errors.slice(0, 6).join('; ');
    const more = result.errors.length > 6 ? `; and ${result.errors.length - 6} more` : '';
    return { problems: [`${path} is not a valid case file: ${shown}${more}. The CT was loaded without a case; see docs/case-file.md.`] };
  }
  return { caseFile: result.caseFile, problems: [] };
}
