import { describe, expect, it } from 'vitest';
import { dragWindow, windowToHuRange, WINDOW_PRESETS } from '../../../src/core/volume/windowPresets';
import { huRange, patientDirectionLetter, sliceOrientationName } from '../../../src/core/volume/describeVolume';
import { seededRandom } from '../../../src/core/random/seededRandom';
import type { VolumeGeometry } from '../../../src/core/volume/volumeGeometry';

describe('window presets', () => {
  it('map width/level to the HU range shown black to white', () => {
    expect(windowToHuRange(WINDOW_PRESETS['soft-tissue'])).toEqual({ lower: -160, upper: 240 });
    expect(windowToHuRange(WINDOW_PRESETS.bone)).toEqual({ lower: -500, upper: 1300 });
    expect(windowToHuRange(WINDOW_PRESETS.lung)).toEqual({ lower: -1350, upper: 150 });
  });
  it('drag widens to the right, raises the level upward, and never makes the width < 1', () => {
    expect(dragWindow({ width: 400, level: 40 }, 10, -5)).toEqual({ width: 440, level: 60 });
    expect(dragWindow({ width: 400, level: 40 }, -500, 0).width).toBe(1);
  });
});

describe('describeVolume', () => {
  const geometry = (normal: [number, number, number]): VolumeGeometry => ({
    dimensions: [2, 2, 2],
    spacingMm: [1, 1, 1],
    originInCt: [0, 0, 0],
    axesInCt: [[1, 0, 0], [0, 1, 0], normal],
  });
  it('names LPS directions and slice orientations', () => {
    expect(['L', 'R', 'P', 'A', 'S', 'I']).toEqual(
      [
        [1, 0, 0],
        [-1, 0, 0],
        [0, 1, 0],
        [0, -1, 0],
        [0, 0, 1],
        [0, 0, -1],
      ].map((v) => patientDirectionLetter(v as [number, number, number])),
    );
    expect(sliceOrientationName(geometry([0, 0, 1]))).toBe('axial');
    expect(sliceOrientationName(geometry([0, 0, -1]))).toBe('axial');
    expect(sliceOrientationName(geometry([1, 0, 0]))).toBe('sagittal');
    const tilt = (20 * Math.PI) / 180;
    expect(sliceOrientationName(geometry([0, Math.sin(tilt), Math.cos(tilt)]))).toBe('oblique (20.0° from axial)');
    expect(huRange(new Int16Array([5, -1000, 3071, 0]))).toEqual({ min: -1000, max: 3071 });
  });
});

describe('seededRandom', () => {
  it('repeats for a seed and gives standard normal deviates (10 seeds × 20 000 draws)', () => {
    expect([1, 2, 3].map(() => seededRandom(42).next())).toEqual([1, 2, 3].map(() => seededRandom(42).next()));
    for (let seed = 1; seed <= 10; seed++) {
      const random = seededRandom(seed);
      let sum = 0;
      let sumSq = 0;
      const n = 20_000;
      for (let i = 0; i < n; i++) {
        const g = random.gaussian();
        sum += g;
        sumSq += g * g;
      }
      const mean = sum / n;
      const sd = Math.sqrt(sumSq / n - mean * mean);
      // 5 standard errors: mean SE = 1/√n ≈ 0.007, SD SE ≈ 1/√(2n) ≈ 0.005.
      expect(Math.abs(mean)).toBeLessThan(0.035);
      expect(Math.abs(sd - 1)).toBeLessThan(0.025);
    }
  });
});
