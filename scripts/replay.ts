/**
 * Replays a recorded rehearsal session and scores it: reads the session file, validates it,
 * loads its case (sample-dicom/<caseId>/case.json unless --case is given), recomputes every
 * metric from the recorded truth and prints a table — or JSON with --json.
 *
 *   npm run replay -- <session.json> [--case <case.json>] [--json]
 *
 * Exit status: 0 when scored, 1 when an argument, the session or the case file is wrong (the
 * message says which and why). docs/session-format.md and docs/metrics.md describe the files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseFile } from '../src/core/cases/caseFile';
import { validateCaseFile } from '../src/core/cases/validateCaseFile';
import { computeMetrics } from '../src/core/metrics/computeMetrics';
import type { MetricResult, MetricValue } from '../src/core/metrics/metric';
import { compareWithStudy, type StudyComparison } from '../src/core/metrics/studyComparison';
import type { SessionRecord } from '../src/core/rehearsal/sessionRecord';
import { validateSessionRecord } from '../src/core/rehearsal/validateSessionRecord';

const ROOT = resolve(import.meta.dirname, '..');
const USAGE = 'usage: npm run replay -- <session.json> [--case <case.json>] [--json]';

export interface ReplayOutput {
  readonly exitCode: 0 | 1;
  readonly stdout: string;
  readonly stderr: string;
}

/** What --json prints. */
export interface ReplayReport {
  readonly session: {
    readonly id: string;
    readonly caseId: string;
    readonly targetId: string;
    readonly mode: SessionRecord['mode'];
    readonly startedAt: string;
    readonly samples: number;
    readonly events: number;
  };
  readonly caseFile: string;
  readonly metrics: MetricResult[];
  readonly study: StudyComparison;
}

/** The whole replay without touching the process: arguments in, text and exit code out (the tests call this). */
export function runReplay(args: readonly string[], options: { root?: string; cwd?: string } = {}): ReplayOutput {
  const root = options.root ?? ROOT;
  // Paths are the user's: relative to where they typed the command (npm run moves to the project root but keeps INIT_CWD).
  const cwd = options.cwd ?? process.env.INIT_CWD ?? process.cwd();
  const fail = (message: string): ReplayOutput => ({ exitCode: 1, stdout: '', stderr: `${message}\n` });
  let sessionPath: string | undefined;
  let casePath: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--case') {
      casePath = args[++i];
      if (!casePath) return fail(`--case needs the path of a case.json\n${USAGE}`);
    } else if (arg.startsWith('--')) return fail(`unknown option ${arg}\n${USAGE}`);
    else if (sessionPath) return fail(`one session file at a time (got ${sessionPath} and ${arg})\n${USAGE}`);
    else sessionPath = arg;
  }
  if (!sessionPath) return fail(`no session file given\n${USAGE}`);

  const session = readJson(resolve(cwd, sessionPath), 'session file');
  if ('error' in session) return fail(session.error);
  const validation = validateSessionRecord(session.value);
  if (!validation.ok) return fail(`${sessionPath} is not a valid session file (version 1):\n${validation.errors.map((e) => `  - ${e}`).join('\n')}`);
  const record = validation.record;

  const caseFilePath = casePath ? resolve(cwd, casePath) : resolve(root, 'sample-dicom', record.caseId, 'case.json');
  if (!existsSync(caseFilePath)) {
    return fail(
      casePath
        ? `case file not found: ${caseFilePath}`
        : `the session was recorded on case "${record.caseId}", but ${caseFilePath} does not exist; give the case with --case <case.json>`,
    );
  }
  const caseJson = readJson(caseFilePath, 'case file');
  if ('error' in caseJson) return fail(caseJson.error);
  const caseValidation = validateCaseFile(caseJson.value);
  if (!caseValidation.ok) return fail(`${caseFilePath} is not a valid case file:\n${caseValidation.errors.map((e) => `  - ${e}`).join('\n')}`);
  const caseFile: CaseFile = caseValidation.caseFile;
  if (caseFile.id !== record.caseId) {
    return fail(`the session was recorded on case "${record.caseId}" but ${caseFilePath} is case "${caseFile.id}"; give that case's case.json with --case`);
  }
  const warnings = caseFile.targets.some((t) => t.id === record.targetId) ? '' : `warning: case "${caseFile.id}" has no target "${record.targetId}"; target metrics are empty\n`;

  const metrics = computeMetrics(record, caseFile);
  const study = compareWithStudy(record, caseFile, metrics);
  if (json) {
    const report: ReplayReport = {
      session: {
        id: record.id,
        caseId: record.caseId,
        targetId: record.targetId,
        mode: record.mode,
        startedAt: record.startedAt,
        samples: record.samples.length,
        events: record.events.length,
      },
      caseFile: caseFilePath,
      metrics,
      study,
    };
    return { exitCode: 0, stdout: `${JSON.stringify(report, null, 2)}\n`, stderr: warnings };
  }
  return { exitCode: 0, stdout: formatReport(record, caseFilePath, metrics, study), stderr: warnings };
}

function readJson(path: string, what: string): { value: unknown } | { error: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { error: `cannot read the ${what} ${path}: ${(error as Error).message}` };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: `the ${what} ${path} is not valid JSON: ${(error as Error).message}` };
  }
}

/** A value for the table: numbers to 2 decimals (counts as integers), yes/no, lists, — for none. */
export function formatValue(value: MetricValue, unit: string): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(', ');
  return unit === 'count' ? String(value) : value.toFixed(2);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function formatReport(record: SessionRecord, caseFilePath: string, metrics: readonly MetricResult[], study: StudyComparison): string {
  const out = [
    `Session ${record.id}: case "${record.caseId}", target "${record.targetId}", ${record.mode} guidance, started ${record.startedAt}`,
    `${record.samples.length} samples, ${record.events.length} events; case file ${caseFilePath}`,
    '',
    table(
      ['metric', 'value', 'unit'],
      metrics.map((m) => [m.name, formatValue(m.value, m.unit), m.unit]),
    ),
    '',
    'Reference study (Albano et al. 2023, lumbar intradiscal O₂/O₃ under US/CT fusion vs CT guidance)',
    study.note,
  ];
  if (study.rows.length > 0) {
    out.push(
      '',
      table(
        ['measure', 'attempt', `study (${study.group})`, 'verdict'],
        study.rows.map((r) => [r.measure, r.attempt, r.studyValue, r.verdict]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const result = runReplay(process.argv.slice(2));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}
