import { describe, expect, it } from 'vitest';
import { formatCount, formatProgress } from '../../src/pipeline/progress.ts';

describe('progress line', () => {
  it('shows events, rate, a bar, percent and ETA from the bytes read', () => {
    const line = formatProgress({ events: 2_500_000, bytesRead: 25, totalBytes: 100, wallMs: 1000, eventTimeUs: 0 }, 80);
    expect(line).toBe('[#####...............] 2.50M events  2.50M ev/s  25%  ETA 3s');
  });
  it('leaves out the bar and ETA when the input size is unknown (video, webcam)', () => {
    expect(formatProgress({ events: 1234, bytesRead: 0, totalBytes: undefined, wallMs: 2000, eventTimeUs: 0 })).toBe('1234 events  617 ev/s');
  });
  it('formats counts compactly', () => {
    expect([formatCount(999), formatCount(12_345), formatCount(3_210_000), formatCount(4.5e9)]).toEqual(['999', '12.3k', '3.21M', '4.50G']);
  });
});
