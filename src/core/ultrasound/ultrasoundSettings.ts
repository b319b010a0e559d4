/** Scanner settings a sonographer changes; defaults per probe come from the probe model. */
export interface UltrasoundSettings {
  readonly frequencyMHz: number;
  /** Image depth shown, mm. */
  readonly depthMm: number;
  readonly gainDb: number;
  readonly dynamicRangeDb: number;
  /** Time-gain compensation, as a fraction of the expected round-trip attenuation (1 = fully compensated for soft tissue). */
  readonly tgc: number;
  readonly focusDepthMm: number;
  readonly lines: number;
  readonly samples: number;
}
