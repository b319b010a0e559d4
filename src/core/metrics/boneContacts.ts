import type { Metric } from './metric';
import { eventsOfKind } from './sessionQueries';

/** Times bone stopped the needle ('bone-contact' events: the samples alone do not show bone). */
export const boneContacts: Metric = {
  id: 'boneContacts',
  name: 'Bone contacts',
  unit: 'count',
  definition: "Times the needle tip struck bone (the recorder's bone-contact events).",
  compute: (record) => eventsOfKind(record, 'bone-contact').length,
};
