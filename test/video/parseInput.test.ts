import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { describeInput } from '../../src/sources/parseInput.ts';
import { webcamInputArgs } from '../../src/sources/fromWebcam.ts';

describe('describeInput', () => {
  it('recognises webcams with and without a device', () => {
    expect(describeInput('webcam')).toEqual({ kind: 'webcam' });
    expect(describeInput('webcam:')).toEqual({ kind: 'webcam' });
    expect(describeInput('webcam:1')).toEqual({ kind: 'webcam', device: '1' });
    expect(describeInput('webcam:/dev/video2')).toEqual({ kind: 'webcam', device: '/dev/video2' });
    expect(describeInput('webcam:Integrated Camera')).toEqual({ kind: 'webcam', device: 'Integrated Camera' });
    expect(describeInput('webcam.mp4')).toEqual({ kind: 'video', path: 'webcam.mp4' });
  });

  it('tells folders, videos and event files apart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikeflow-input-'));
    try {
      expect(describeInput(dir)).toEqual({ kind: 'images', path: dir });
    } finally {
      rmSync(dir, { recursive: true });
    }
    for (const name of ['a.mp4', 'b.MOV', 'c.avi', 'd.mkv', 'e.webm', 'f.y4m']) expect(describeInput(name).kind).toBe('video');
    for (const name of ['rec.raw', 'rec.dat', 'rec.aedat4', 'rec.csv', 'rec.unknown']) expect(describeInput(name).kind).toBe('file');
  });
});

describe('webcam capture arguments', () => {
  it('v4l2 on Linux: a number names /dev/videoN, default /dev/video0', () => {
    expect(webcamInputArgs(undefined, 'linux')).toEqual(['-f', 'v4l2', '-i', '/dev/video0']);
    expect(webcamInputArgs('2', 'linux')).toEqual(['-f', 'v4l2', '-i', '/dev/video2']);
    expect(webcamInputArgs('/dev/video5', 'linux', 60)).toEqual(['-f', 'v4l2', '-framerate', '60', '-i', '/dev/video5']);
  });
  it('avfoundation on macOS, dshow on Windows (name required)', () => {
    expect(webcamInputArgs(undefined, 'darwin')).toEqual(['-f', 'avfoundation', '-framerate', '30', '-i', '0']);
    expect(webcamInputArgs('1', 'darwin', 15)).toEqual(['-f', 'avfoundation', '-framerate', '15', '-i', '1']);
    expect(webcamInputArgs('Integrated Camera', 'win32')).toEqual(['-f', 'dshow', '-i', 'video=Integrated Camera']);
    expect(() => webcamInputArgs(undefined, 'win32')).toThrow(ConfigError);
    expect(() => webcamInputArgs(undefined, 'aix')).toThrow(/platform/);
  });
});
