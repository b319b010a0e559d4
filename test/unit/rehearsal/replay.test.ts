import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runReplay, type ReplayReport } from '../../../scripts/replay';
import { computeMetrics } from '../../../src/core/metrics/computeMetrics';
import { handSession, tinyCase } from '../fixtures/handComputedSession';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'replay-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sessionPath = join(dir, 'session.json');
const casePath = join(dir, 'case.json');
writeFileSync(sessionPath, JSON.stringify(handSession, null, 2));
writeFileSync(casePath, JSON.stringify(tinyCase, null, 2));
// A project root of its own, where the case sits at sample-dicom/<caseId>/case.json.
const fakeRoot = join(dir, 'project');
mkdirSync(join(fakeRoot, 'sample-dicom', tinyCase.id), { recursive: true });
writeFileSync(join(fakeRoot, 'sample-dicom', tinyCase.id, 'case.json'), JSON.stringify(tinyCase));

describe('replay', () => {
  it('recomputes from a session file exactly the metrics computeMetrics gives', () => {
    const result = runReplay([sessionPath, '--case', casePath, '--json']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as ReplayReport;
    expect(report.metrics).toEqual(computeMetrics(handSession, tinyCase));
    expect(report.session).toMatchObject({ id: 'hand-computed-1', caseId: 'tiny-disc', mode: 'fusion', samples: 9, events: 12 });
    expect(report.study.group).toBe('Fusion');
  });

  it('finds the case at sample-dicom/<caseId>/case.json by default and prints a table', () => {
    const result = runReplay([sessionPath], { root: fakeRoot });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Session hand-computed-1: case "tiny-disc", target "disc-T", fusion guidance/);
    expect(result.stdout).toMatch(/CT passes\s+3\s+count/);
    expect(result.stdout).toMatch(/Tissue damage\s+166\.49\s+mm²/);
    expect(result.stdout).toMatch(/Structures breached\s+vessel\s+ids/);
    expect(result.stdout).toContain("Compared with the study's Fusion group");
  });

  it('resolves relative paths from the directory the command was typed in', () => {
    expect(runReplay(['session.json', '--case', 'case.json', '--json'], { cwd: dir }).exitCode).toBe(0);
  });

  it('names the missing case file and exits 1', () => {
    const result = runReplay([sessionPath], { root: join(dir, 'nowhere') });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(join(dir, 'nowhere', 'sample-dicom', 'tiny-disc', 'case.json'));
    expect(result.stderr).toContain('--case');
  });

  it('reports an invalid session with its errors and exits 1', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ ...handSession, schemaVersion: 3, mode: 'robot' }));
    const result = runReplay([broken, '--case', casePath]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('is not a valid session file (version 1)');
    expect(result.stderr).toContain('  - schemaVersion: this simulator reads version 1, found 3');
    expect(result.stderr).toContain('  - mode: expected one of');
  });

  it('refuses a case file of another case, bad JSON and bad arguments', () => {
    writeFileSync(join(dir, 'hip.json'), JSON.stringify({ ...tinyCase, id: 'hip' }));
    expect(runReplay([sessionPath, '--case', join(dir, 'hip.json')]).stderr).toMatch(/recorded on case "tiny-disc" but .* is case "hip"/);
    writeFileSync(join(dir, 'bad.json'), '{ "schema": ');
    expect(runReplay([join(dir, 'bad.json')]).stderr).toMatch(/is not valid JSON/);
    expect(runReplay([]).stderr).toMatch(/no session file given\nusage: npm run replay/);
    expect(runReplay([sessionPath, '--cse', casePath]).stderr).toMatch(/unknown option --cse/);
  });

  it('runs as a command (tsx scripts/replay.ts) with the same metrics and exit codes', () => {
    const tsx = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
    const ok = spawnSync(process.execPath, [tsx, 'scripts/replay.ts', sessionPath, '--case', casePath, '--json'], { cwd: ROOT, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect((JSON.parse(ok.stdout) as ReplayReport).metrics).toEqual(computeMetrics(handSession, tinyCase));
    const missing = spawnSync(process.execPath, [tsx, 'scripts/replay.ts', join(dir, 'absent.json')], { cwd: ROOT, encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot read the session file');
  });
});
