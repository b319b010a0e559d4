/**
 * The simulator's coordinate frames (PLUS / SlicerIGT convention: a transform is named
 * `FromToTo`; frame names never contain "To"). Each frame's origin, unit and axes, once:
 */
export const FRAMES = {
  Image: {
    unit: 'px',
    origin: 'top-left pixel of the ultrasound image',
    axes: "+x toward the transducer's marked side, +y away from the transducer (depth); ImageToProbe scales px to mm",
  },
  Probe: {
    unit: 'mm',
    origin: 'the electromagnetic sensor on the transducer, 15–20 mm above the face centre',
    axes: '+x along the array (marked side), +y into the body, +z elevation; ImageToProbe is the probe calibration',
  },
  Needle: { unit: 'mm', origin: 'the sensor clipped to the needle hub', axes: '+z along the shaft toward the tip; x, y about the shaft (a round needle’s roll does not show)' },
  NeedleTip: { unit: 'mm', origin: 'the needle tip', axes: '+z from the tip toward the hub (along the shaft); NeedleTipToNeedle is the needle calibration' },
  Stylus: { unit: 'mm', origin: "the tracked pointer's sensor (at its tip in this simulation)", axes: 'as the sensor reports them; the tip offset is the stylus calibration' },
  Reference: { unit: 'mm', origin: 'the sensor fixed to the patient: the external fiducial marker', axes: "the marker's own frame (u, v along the skin, w out of the body)" },
  Tracker: { unit: 'mm', origin: 'the electromagnetic field generator', axes: "the generator's housing axes; working volume x, y ±250, z 50…550 mm" },
  Ct: { unit: 'mm', origin: 'DICOM patient coordinate origin', axes: 'LPS: +x patient left, +y posterior, +z superior' },
  CtIjk: { unit: 'voxel', origin: 'centre of the first voxel', axes: 'i along a row, j down a column, k slice to slice' },
} as const;

export type FrameName = keyof typeof FRAMES;
