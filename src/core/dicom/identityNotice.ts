import type { SliceHeader } from './sliceHeader';

/**
 * Whether a series still carries a patient identity. Sessions run on projectors, so identity is
 * never displayed by default; a series that is not marked de-identified (Patient Identity
 * Removed (0012,0062) = YES) and has a name or ID gets a notice instead.
 */
export function identityNotice(headers: readonly SliceHeader[]): string | undefined {
  const first = headers[0];
  if (!first) return undefined;
  if (headers.every((h) => h.patientIdentityRemoved)) return undefined;
  const hasIdentity = headers.some((h) => (h.patientName ?? '').trim() !== '' || (h.patientId ?? '').trim() !== '');
  if (!hasIdentity) return undefined;
  return 'This series is not marked as de-identified and carries a patient name or ID. They are hidden here; anonymise the series before teaching with it.';
}
