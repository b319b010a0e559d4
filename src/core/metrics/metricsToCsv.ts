import type { MetricResult, MetricValue } from './metric';

/**
 * Metric results as CSV (RFC 4180): a header `id,name,unit,value`, one row per metric, CRLF
 * line ends; a field containing a comma, a double quote, CR or LF is wrapped in double quotes
 * with its quotes doubled. Values: numbers in full precision (JavaScript's shortest round-trip
 * form), booleans `true`/`false`, lists joined with `;`, null as an empty field.
 */
export function metricsToCsv(results: readonly MetricResult[]): string {
  const rows = [['id', 'name', 'unit', 'value'], ...results.map((r) => [r.id, r.name, r.unit, csvValue(r.value)])];
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvValue(value: MetricValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.join(';');
  return String(value);
}

const csvField = (field: string): string => (/[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field);
