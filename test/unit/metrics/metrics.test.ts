import { describe, expect, it } from 'vitest';
import { computeMetrics, METRICS, metricValue } from '../../../src/core/metrics/computeMetrics';
import { compareWithEarlier } from '../../../src/core/metrics/compareWithEarlier';
import { insertedShaftOf } from '../../../src/core/metrics/insertedShaft';
import type { MetricResult } from '../../../src/core/metrics/metric';
import { metricsToCsv } from '../../../src/core/metrics/metricsToCsv';
import { punctures } from '../../../src/core/metrics/punctures';
import { redirections } from '../../../src/core/metrics/redirections';
import { closestApproachByStructure } from '../../../src/core/metrics/structureDistances';
import { compareWithStudy } from '../../../src/core/metrics/studyComparison';
import { sweptArea } from '../../../src/core/metrics/tissueDamage';
import type { SessionRecord } from '../../../src/core/rehearsal/sessionRecord';
import { shaftLowerBound } from '../../../src/core/metrics/shaftLowerBound';
import { shaftToStructures } from '../../../src/core/needle/shaftToStructures';
import { seededRandom } from '../../../src/core/random/seededRandom';
import type { CaseFile } from '../../../src/core/cases/caseFile';
import type { Vec3 } from '../../../src/core/geometry/vec3';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { handSession, shaftSample, tinyCase } from '../fixtures/handComputedSession';

// The session and its geometry are drawn in fixtures/handComputedSession.ts (local coordinates,
// shifted by [100, 200, 300] into Ct). Each expected value below is worked out by hand.
const results = computeMetrics(handSession, tinyCase);
const value = (id: string) => {
  const v = metricValue(results, id);
  if (v === undefined) throw new Error(`no metric ${id}`);
  return v;
};
const SQRT160 = Math.sqrt(160); // |(12, 4, 0)|: the tip's move in the pivot s4 → s5

describe('metrics of the hand-computed session', () => {
  it('lists every metric once, in the fixed order, with name and unit', () => {
    expect(results.map((r) => r.id)).toEqual([
      'operativeTime',
      'elapsedTime',
      'ctPasses',
      'doseLengthProduct',
      'effectiveDose',
      'technicalSuccess',
      'tipToTargetError',
      'structuresBreached',
      'breachCount',
      'closestApproach',
      'nearMisses',
      'needlePathLength',
      'pathInTissue',
      'timeInTissue',
      'tissueDamage',
      'pathInefficiency',
      'redirections',
      'punctures',
      'boneContacts',
      'timeOutOfPlane',
      'probePathLength',
      'registrationFre',
      'registrationTre',
    ]);
    expect(new Set(METRICS.map((m) => m.id)).size).toBe(METRICS.length);
    for (const metric of METRICS) expect(metric.name && metric.unit && metric.definition).toBeTruthy();
  });

  it('operativeTime: planning CT at 0 ms → last injection at 7000 ms = 7 s', () => {
    expect(value('operativeTime')).toBe(7);
  });

  it('elapsedTime: last sample 8000 ms, last event ("finished") 9000 ms → 9 s', () => {
    expect(value('elapsedTime')).toBe(9);
  });

  it('ctPasses: the planning CT + 2 ct-pass events (confirmation at 4500, final at 8500) = 3', () => {
    expect(value('ctPasses')).toBe(3);
  });

  it('doseLengthProduct: 3 passes × 100 mGy·cm = 300 mGy·cm', () => {
    expect(value('doseLengthProduct')).toBe(300);
  });

  it('effectiveDose: 300 mGy·cm × 0.015 mSv/(mGy·cm) = 4.5 mSv', () => {
    expect(value('effectiveDose')).toBeCloseTo(4.5, 12);
  });

  it('technicalSuccess: the tip at the injection (s7, (17, 30, 0)) is 3 mm from the target (20, 30, 0) ≤ 5 mm → yes', () => {
    expect(value('technicalSuccess')).toBe(true);
  });

  it('tipToTargetError: |(17, 30, 0) − (20, 30, 0)| = 3 mm', () => {
    expect(value('tipToTargetError')).toBeCloseTo(3, 12);
  });

  it('structuresBreached: the shaft at s5 and s6 passes 0.8 mm from the vessel axis (radius 2) → ["vessel"]', () => {
    expect(value('structuresBreached')).toEqual(['vessel']);
  });

  it('breachCount: 1 structure', () => {
    expect(value('breachCount')).toBe(1);
  });

  it('closestApproach: 0.8 − 2 = −1.2 mm (inside the vessel); per structure: root 4 − 3 = 1; bowel (120 mm) beyond the 15 mm range', () => {
    expect(value('closestApproach')).toBeCloseTo(-1.2, 9);
    const byStructure = closestApproachByStructure(handSession, tinyCase);
    expect([...byStructure.keys()]).toEqual(['root', 'vessel']);
    expect(byStructure.get('root')).toBeCloseTo(1, 9); // the shaft x = 0 at y = 40 (s2, s3), centre x = −4
    expect(byStructure.get('vessel')).toBeCloseTo(-1.2, 9);
  });

  it('closestApproach skips no minimum: measuring every structure at every sample gives the same per-structure values', () => {
    const brute = new Map<string, number>();
    for (const sample of handSession.samples) {
      if (!sample.needle || sample.insertedMm <= 0) continue;
      const { entry, tip } = insertedShaftOf(sample.needle, sample.insertedMm);
      for (const { structure, distanceMm } of shaftToStructures(entry, tip, tinyCase.avoid, Infinity)) {
        brute.set(structure.id, Math.min(brute.get(structure.id) ?? Infinity, distanceMm));
      }
    }
    expect(brute.get('bowel')).toBeCloseTo(120, 9); // the tip (0, 30, 0) at s3, centre (0, −100, 0): 130 − 10
    const byStructure = closestApproachByStructure(handSession, tinyCase);
    for (const [id, d] of byStructure) expect(d).toBe(brute.get(id));
  });

  it('the analytic lower bound never exceeds what shaftToStructures measures (random shafts, the real lumbar tubes)', () => {
    const rng = seededRandom(11);
    const random = () => rng.next();
    const lumbar = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../sample-dicom/lumbar/case.json'), 'utf8')) as CaseFile;
    for (let i = 0; i < 200; i++) {
      const entry: Vec3 = [random() * 200 - 100, random() * 200 - 50, random() * 200 - 100];
      const tip: Vec3 = [entry[0] + random() * 120 - 60, entry[1] - random() * 120, entry[2] + random() * 60 - 30];
      for (const { structure, distanceMm } of shaftToStructures(entry, tip, lumbar.avoid, Infinity)) {
        const bound = shaftLowerBound(structure.shape, entry, tip)!;
        expect(bound).toBeLessThanOrEqual(distanceMm);
        expect(distanceMm - bound).toBeLessThan(0.26); // points every ≤ 0.5 mm: at most 0.25 mm above the true distance
      }
    }
  });

  it('nearMisses: root came within 1 mm ≤ the 3 mm margin without a breach; bowel (120 mm) did not → ["root"]', () => {
    expect(value('nearMisses')).toEqual(['root']);
  });

  it('needlePathLength: 20 + 10 + 2 + √160 + 5 + 0 + 35 (s1 → s8, every pair has a needle) = 72 + √160 mm', () => {
    // s7 → s8: (17, 30) → (−4, 58): √(21² + 28²) = 35
    expect(value('needlePathLength')).toBeCloseTo(72 + SQRT160, 9);
  });

  it('pathInTissue: only s2 … s7 are in tissue: 10 + 2 + √160 + 5 + 0 = 17 + √160 mm', () => {
    expect(value('pathInTissue')).toBeCloseTo(17 + SQRT160, 9);
  });

  it('timeInTissue: 5 intervals of 1 s between s2 and s7 = 5 s', () => {
    expect(value('timeInTissue')).toBe(5);
  });

  it('tissueDamage: advances sweep 0; the 2 mm sideways push of a 20 mm shaft sweeps 40; the pivot sweeps L² sin(θ/2) = 20 · √160 / 2 = 40√10 mm²', () => {
    // s2→s3 and s5→s6: the shaft slides along itself (same entry, same direction): 0.
    // s3→s4: every shaft point moves 2 mm across: 2 × 20 = 40 mm².
    // s4→s5: a pivot about the entry; the point at fraction f moves f·(12, 4, 0), perpendicular to the bisector
    //   (0.6, −1.8, 0); Σ over 20 midpoints f = 10, so the area is 10 · √160 · 20/20 = 40√10 ≈ 126.49 mm².
    expect(value('tissueDamage')).toBeCloseTo(40 + 40 * Math.sqrt(10), 9);
  });

  it('pathInefficiency: path from the entry 10 + 17 + √160, straight entry (0, 50) → final tip (17, 30) √689: 100 · (path / √689 − 1) ≈ 51.05 %', () => {
    const expected = 100 * ((27 + SQRT160) / Math.sqrt(689) - 1);
    expect(value('pathInefficiency')).toBeCloseTo(expected, 9);
    expect(expected).toBeCloseTo(51.05, 2);
  });

  it('redirections: one turn of 36.87° with the tip in tissue (s4 → s5) = 1', () => {
    expect(value('redirections')).toBe(1);
  });

  it('punctures: inserted depth 0 → 10 mm at s2 (past 5 mm), out at s8 = 1', () => {
    expect(value('punctures')).toBe(1);
  });

  it('boneContacts: one bone-contact event = 1', () => {
    expect(value('boneContacts')).toBe(1);
  });

  it('timeOutOfPlane: in-tissue intervals starting at s3 and s4 (probe 4 mm off plane > 2.5) and s6 (no probe) = 3 s', () => {
    expect(value('timeOutOfPlane')).toBe(3);
  });

  it('probePathLength: Pa→Pb 4 + Pb→Pa 4 (s6 has no probe, so s5→s6→s7 adds nothing) + Pc→Pd |(3, 4, 0)| 5 = 13 mm', () => {
    expect(value('probePathLength')).toBeCloseTo(13, 12);
  });

  it('registrationFre and registrationTre: from the registration event, 0.8 and 1.5 mm', () => {
    expect(value('registrationFre')).toBe(0.8);
    expect(value('registrationTre')).toBe(1.5);
  });
});

describe('metrics without the actions they need', () => {
  const bare: SessionRecord = {
    ...handSession,
    samples: [
      { t: 0, insertedMm: 0 },
      { t: 3000, insertedMm: 0 },
    ],
    events: [{ t: 0, kind: 'planning-ct' }],
  };
  const bareResults = computeMetrics(bare, tinyCase);
  it('are null, false, zero or empty as documented', () => {
    const v = (id: string) => metricValue(bareResults, id);
    expect(v('operativeTime')).toBeNull();
    expect(v('elapsedTime')).toBe(3);
    expect(v('ctPasses')).toBe(1);
    expect(v('technicalSuccess')).toBe(false);
    expect(v('tipToTargetError')).toBeNull();
    expect(v('structuresBreached')).toEqual([]);
    expect(v('closestApproach')).toBeNull();
    expect(v('pathInefficiency')).toBeNull();
    expect(v('registrationFre')).toBeNull();
    expect(v('registrationTre')).toBeNull();
    expect(v('tissueDamage')).toBe(0);
  });
  it('a target the case lacks leaves the target metrics null', () => {
    const other = computeMetrics({ ...handSession, targetId: 'no-such-target' }, tinyCase);
    expect(metricValue(other, 'technicalSuccess')).toBeNull();
    expect(metricValue(other, 'tipToTargetError')).toBeNull();
  });
  it('tip-to-target error falls back to the last sample with a needle when nothing was injected', () => {
    const noInjection = { ...handSession, events: handSession.events.filter((e) => e.kind !== 'injection') };
    // Last needle sample s8: (−4, 58, 0) vs the target (20, 30, 0): √(24² + 28²) = √1360
    expect(metricValue(computeMetrics(noInjection, tinyCase), 'tipToTargetError')).toBeCloseTo(Math.sqrt(1360), 9);
  });
});

describe('metric details', () => {
  const record = (samples: SessionRecord['samples']): SessionRecord => ({ ...handSession, samples, events: [] });

  it('redirections: a slow sweep is one, a small sweep (< 2°) none, and a sweep after a pause counts again', () => {
    const samples = [
      shaftSample(0, 0),
      shaftSample(50, 1),
      shaftSample(100, 2),
      shaftSample(150, 3), // one sweep of 3°
      shaftSample(200, 3), // still: the sweep ends
      shaftSample(250, 3.5),
      shaftSample(300, 4),
      shaftSample(350, 4.5), // 1.5° in all: not a redirection
      shaftSample(400, 4.5),
      shaftSample(900, 5.5),
      shaftSample(950, 6.5),
      shaftSample(1000, 7.5), // after a pause, 3° more
    ];
    expect(redirections.compute(record(samples), { caseFile: tinyCase })).toBe(2);
  });

  it('punctures: shallow entries (≤ 5 mm) do not count; pulling back without leaving does not make a new one', () => {
    const depths = [0, 3, 0, 6, 2, 7, 0, 8];
    const samples = depths.map((d, i) => shaftSample(i * 100, 0, d));
    // 3 (shallow), out, 6 → 1, 2 and 7 (still in), out, 8 → 2
    expect(punctures.compute(record(samples), { caseFile: tinyCase })).toBe(2);
  });

  it('swept area: a 10° pivot about the entry sweeps L²·sin(5°), close to the sector ½L²θ', () => {
    const a = shaftSample(0, 0, 30);
    const b = shaftSample(50, 10, 30);
    const area = sweptArea(insertedShaftOf(a.needle!, 30), insertedShaftOf(b.needle!, 30));
    expect(area).toBeCloseTo(900 * Math.sin((5 * Math.PI) / 180), 9);
    expect(area).toBeCloseTo(0.5 * 900 * ((10 * Math.PI) / 180), 0);
  });
});

describe('metricsToCsv', () => {
  it('writes id,name,unit,value with RFC 4180 quoting and CRLF', () => {
    const csv = metricsToCsv([
      { id: 'a', name: 'Plain', unit: 'mm', value: 1.5 },
      { id: 'b', name: 'With, comma', unit: 'count', value: 2 },
      { id: 'c', name: 'A "quoted" name', unit: 'yes/no', value: true },
      { id: 'd', name: 'List', unit: 'ids', value: ['x', 'y'] },
      { id: 'e', name: 'None', unit: 's', value: null },
      { id: 'f', name: 'Two\nlines', unit: 'ids', value: [] },
    ]);
    expect(csv).toBe(
      ['id,name,unit,value', 'a,Plain,mm,1.5', 'b,"With, comma",count,2', 'c,"A ""quoted"" name",yes/no,true', 'd,List,ids,x;y', 'e,None,s,', 'f,"Two\nlines",ids,', ''].join(
        '\r\n',
      ),
    );
  });
  it('has a header and one row per metric of a session', () => {
    expect(metricsToCsv(results).split('\r\n')).toHaveLength(1 + results.length + 1);
  });
});

describe('comparison with the reference study', () => {
  it('compares a fusion intradiscal attempt with the Fusion group', () => {
    const comparison = compareWithStudy(handSession, tinyCase, results);
    expect(comparison.applies).toBe(true);
    expect(comparison.group).toBe('Fusion');
    expect(comparison.rows.map((r) => [r.measure, r.attempt, r.studyValue])).toEqual([
      ['CT passes (planning CT included)', '3', '2 [2–2] (median [IQR])'],
      ['Operative time (first CT → last injection)', '0.1 min', '14 ± 3 min (range 10–18)'],
      ['Technical success (disc reached)', 'yes', '100 % (6/6)'],
      ['Complications (structures breached)', '1 (vessel)', '0 in 6 patients'],
    ]);
    expect(comparison.rows[0]!.verdict).toBe("1 more than the group's median: about 1.5 mSv more");
    expect(comparison.rows[1]!.verdict).toContain('shorter than every patient');
    expect(comparison.rows[3]!.verdict).toBe('a complication: the study had none');
  });

  it('compares CT-only guidance with the Control group, 3 [3–3] passes and 24 ± 6 min', () => {
    const comparison = compareWithStudy({ ...handSession, mode: 'ct' }, tinyCase, results);
    expect(comparison.group).toBe('Control');
    expect(comparison.rows[0]!.verdict).toBe('as in the study');
    expect(comparison.rows[1]!.studyValue).toBe('24 ± 6 min (range 16–34)');
  });

  it('has no group for ultrasound-only guidance, and says so', () => {
    const comparison = compareWithStudy({ ...handSession, mode: 'ultrasound' }, tinyCase, results);
    expect(comparison).toMatchObject({ applies: true, group: null, rows: [] });
    expect(comparison.note).toMatch(/ultrasound-only guidance has no group/);
  });

  it('does not apply to the hip case, and compares nothing', () => {
    const hip = { ...tinyCase, id: 'hip', procedure: { ...tinyCase.procedure, name: 'Ultrasound-guided hip joint injection' } };
    const comparison = compareWithStudy({ ...handSession, caseId: 'hip' }, hip, results);
    expect(comparison).toMatchObject({ applies: false, group: null, rows: [] });
    expect(comparison.note).toMatch(/does not apply to "Ultrasound-guided hip joint injection"/);
  });

  it('does not compare a facet-joint target of the lumbar case', () => {
    const withFacet = { ...tinyCase, targets: [...tinyCase.targets, { ...tinyCase.targets[0]!, id: 'facet-L4-L5-left', name: 'L4–L5 facet, left' }] };
    const comparison = compareWithStudy({ ...handSession, targetId: 'facet-L4-L5-left' }, withFacet, results);
    expect(comparison).toMatchObject({ applies: false, rows: [] });
  });
});

describe('compareWithEarlier', () => {
  const attempt = (time: number | null, passes: number, error: number, breaches: number): MetricResult[] => [
    { id: 'operativeTime', name: 'Operative time', unit: 's', value: time },
    { id: 'ctPasses', name: 'CT passes', unit: 'count', value: passes },
    { id: 'tipToTargetError', name: 'Tip-to-target error', unit: 'mm', value: error },
    { id: 'breachCount', name: 'Structures breached (count)', unit: 'count', value: breaches },
  ];
  it('gives the previous and best earlier values and whether this attempt improved', () => {
    const trend = compareWithEarlier(attempt(500, 2, 2.5, 0), [attempt(900, 3, 4, 1), attempt(450, 2, 6, 0), attempt(null, 3, 3, 0)]);
    expect(trend).toEqual([
      { id: 'operativeTime', name: 'Operative time', unit: 's', current: 500, previous: null, best: 450, versusPrevious: null, newBest: false },
      { id: 'ctPasses', name: 'CT passes', unit: 'count', current: 2, previous: 3, best: 2, versusPrevious: 'better', newBest: false },
      { id: 'tipToTargetError', name: 'Tip-to-target error', unit: 'mm', current: 2.5, previous: 3, best: 3, versusPrevious: 'better', newBest: true },
      { id: 'breachCount', name: 'Structures breached (count)', unit: 'count', current: 0, previous: 0, best: 0, versusPrevious: 'same', newBest: false },
    ]);
  });
  it('makes a first attempt its own best', () => {
    const trend = compareWithEarlier(attempt(500, 2, 2.5, 0), []);
    expect(trend.every((row) => row.previous === null && row.best === null && row.newBest)).toBe(true);
  });
});
