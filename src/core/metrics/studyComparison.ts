import type { CaseFile, CaseTarget } from '../cases/caseFile';
import type { SessionRecord } from '../rehearsal/sessionRecord';
import { computeMetrics, metricValue } from './computeMetrics';
import type { MetricResult } from './metric';
import { targetOf } from './sessionQueries';

/**
 * An attempt beside the reference study: Albano et al. 2023, US/CT fusion imaging and virtual
 * navigation to guide lumbar intradiscal O₂/O₃ therapy, a pilot study (6 fusion vs 6 CT-only
 * patients; /work/shared/references). Its Table 1, per group:
 *   CT passes, median [IQR]       fusion 2 [2–2]          CT only 3 [3–3]   (the planning CT included)
 *   operative time (first CT → last injection), mean ± SD (range)
 *                                 14 ± 3 min (10–18)      24 ± 6 min (16–34)
 *   room time                     30 ± 6 min (22–39)      46 ± 10 min (33–61)   (no room here: not compared)
 *   technical success             100 %                   100 %
 *   complications                 0                       0
 * Fusion guidance is compared with the Fusion group, CT-only guidance with the Control group;
 * ultrasound-only guidance has no group. Only an intradiscal attempt is compared.
 */
export const REFERENCE_STUDY = {
  citation:
    'Albano D, Messina C, Gitto S, Fusco S, Sconfienza LM, Bellelli A (2023) US/CT fusion imaging and virtual navigation to guide lumbar intradiscal oxygen-ozone therapy: a pilot study',
  groups: {
    Fusion: { patients: 6, ctPasses: { median: 2, q1: 2, q3: 2 }, operativeTimeMin: { mean: 14, sd: 3, min: 10, max: 18 }, technicalSuccessPercent: 100, complications: 0 },
    Control: { patients: 6, ctPasses: { median: 3, q1: 3, q3: 3 }, operativeTimeMin: { mean: 24, sd: 6, min: 16, max: 34 }, technicalSuccessPercent: 100, complications: 0 },
  },
} as const;

export type StudyGroup = keyof typeof REFERENCE_STUDY.groups;

export interface StudyComparisonRow {
  readonly measure: string;
  /** The attempt's value, as text with its unit. */
  readonly attempt: string;
  readonly studyGroup: StudyGroup;
  /** The group's figure as the study reports it. */
  readonly studyValue: string;
  /** How the attempt stands against the group, in a sentence. */
  readonly verdict: string;
}

export interface StudyComparison {
  /** True when the attempt is an intradiscal injection the study's figures describe. */
  readonly applies: boolean;
  /** The group compared with, or null (the study does not apply, or ultrasound-only guidance). */
  readonly group: StudyGroup | null;
  /** Why nothing is compared, or what to keep in mind when reading the rows. */
  readonly note: string;
  readonly rows: readonly StudyComparisonRow[];
}

/** Is this attempt the study's procedure: an intradiscal case, aimed at a disc? */
export const isIntradiscalAttempt = (caseFile: CaseFile, target: CaseTarget | undefined): boolean =>
  /intradiscal/i.test(caseFile.procedure.name) && target !== undefined && /disc/i.test(target.id);

/**
 * Compares an attempt with the reference study. `results` are the attempt's metrics
 * (computed when not given).
 */
export function compareWithStudy(record: SessionRecord, caseFile: CaseFile, results: readonly MetricResult[] = computeMetrics(record, caseFile)): StudyComparison {
  const target = targetOf(record, caseFile);
  if (!/intradiscal/i.test(caseFile.procedure.name)) {
    return {
      applies: false,
      group: null,
      rows: [],
      note: `The reference study (lumbar intradiscal injection under US/CT fusion or CT guidance) does not apply to "${caseFile.procedure.name}": nothing is compared.`,
    };
  }
  if (!isIntradiscalAttempt(caseFile, target)) {
    return {
      applies: false,
      group: null,
      rows: [],
      note: `The reference study's figures are for the intradiscal injection; this attempt aimed at ${target ? `"${target.name}"` : `an unknown target "${record.targetId}"`}, not a disc: nothing is compared.`,
    };
  }
  if (record.mode === 'ultrasound') {
    return {
      applies: true,
      group: null,
      rows: [],
      note: 'The reference study compared US/CT fusion with CT-only guidance; ultrasound-only guidance has no group in it, so nothing is compared. Rehearse with fusion or CT guidance to compare.',
    };
  }
  const group: StudyGroup = record.mode === 'fusion' ? 'Fusion' : 'Control';
  const figures = REFERENCE_STUDY.groups[group];
  const numeric = (id: string): number | null => {
    const v = metricValue(results, id);
    return typeof v === 'number' ? v : null;
  };
  const rows: StudyComparisonRow[] = [];

  const passes = numeric('ctPasses');
  const { median, q1, q3 } = figures.ctPasses;
  const mSvPerPass = record.settings.dlpPerPassMGyCm * record.settings.effectiveDosePerDlp;
  rows.push({
    measure: 'CT passes (planning CT included)',
    attempt: passes === null ? '—' : String(passes),
    studyGroup: group,
    studyValue: `${median} [${q1}–${q3}] (median [IQR])`,
    verdict:
      passes === null
        ? 'not available'
        : passes > q3
          ? `${passes - median} more than the group's median: about ${format((passes - median) * mSvPerPass, 1)} mSv more`
          : passes < q1
            ? `fewer than the group: the study's count includes the final CT that checks the injectate's diffusion`
            : 'as in the study',
  });

  const seconds = numeric('operativeTime');
  const { mean, sd, min, max } = figures.operativeTimeMin;
  const minutes = seconds === null ? null : seconds / 60;
  rows.push({
    measure: 'Operative time (first CT → last injection)',
    attempt: minutes === null ? 'no injection' : `${format(minutes, 1)} min`,
    studyGroup: group,
    studyValue: `${mean} ± ${sd} min (range ${min}–${max})`,
    verdict:
      minutes === null
        ? 'not comparable: nothing was injected'
        : minutes < min
          ? `shorter than every patient in the group (shortest ${min} min)`
          : minutes > max
            ? `longer than every patient in the group (longest ${max} min)`
            : `within the group's range (${min}–${max} min)`,
  });

  const success = metricValue(results, 'technicalSuccess');
  rows.push({
    measure: 'Technical success (disc reached)',
    attempt: success === true ? 'yes' : success === false ? 'no' : '—',
    studyGroup: group,
    studyValue: `${figures.technicalSuccessPercent} % (${figures.patients}/${figures.patients})`,
    verdict: success === true ? 'as in the study' : success === false ? 'not reached: the study reached the disc in every patient' : 'not available',
  });

  const breaches = metricValue(results, 'structuresBreached');
  const breached = Array.isArray(breaches) ? breaches : [];
  rows.push({
    measure: 'Complications (structures breached)',
    attempt: breached.length === 0 ? '0' : `${breached.length} (${breached.join(', ')})`,
    studyGroup: group,
    studyValue: `${figures.complications} in ${figures.patients} patients`,
    verdict: breached.length === 0 ? 'none, as in the study' : `${breached.length === 1 ? 'a complication' : `${breached.length} complications`}: the study had none`,
  });

  return {
    applies: true,
    group,
    rows,
    note:
      `Compared with the study's ${group === 'Fusion' ? 'Fusion group (US/CT fusion guidance)' : 'Control group (CT-only guidance)'}, ${figures.patients} patients. ` +
      "The study's operative time also includes six facet-joint injections after the disc, so a disc-only rehearsal should be shorter; its room time has no counterpart here.",
  };
}

const format = (value: number, decimals: number): string => value.toFixed(decimals);

// The trainee's own trend (best and previous attempts) sits beside the study comparison in reports.
export { compareWithEarlier, type TrendRow } from './compareWithEarlier';
