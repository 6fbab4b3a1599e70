import { describe, expect, it } from 'vitest';
import { HeaderSplitter } from '../../../src/formats/prophesee/headerLines.ts';

const text = (s: string) => new TextEncoder().encode(s);

function split(bytes: Uint8Array, chunkSize: number) {
  const splitter = new HeaderSplitter('mem');
  const data: number[] = [];
  for (let o = 0; o < bytes.length; o += chunkSize) {
    const rest = splitter.push(bytes.subarray(o, o + chunkSize));
    if (rest) data.push(...rest);
  }
  data.push(...splitter.end());
  return { fields: splitter.fields, headerBytes: splitter.headerBytes, data };
}

describe('HeaderSplitter', () => {
  it('reads `% key value` lines and stops at `% end`, even when the data starts with a % byte', () => {
    const bytes = new Uint8Array([...text('% evt 3.0\n% format EVT3;height=720;width=1280\n% end\n'), 0x25, 0x80, 0x0a, 0x20]);
    for (const size of [1, 2, 3, 7, 1000]) {
      const got = split(bytes, size);
      expect(got.fields).toEqual({ evt: '3.0', format: 'EVT3;height=720;width=1280' });
      expect(got.headerBytes).toBe(bytes.length - 4);
      expect(got.data).toEqual([0x25, 0x80, 0x0a, 0x20]);
    }
  });

  it('an old header without `% end`: a "%" line with binary bytes is data', () => {
    const bytes = new Uint8Array([...text('% Date 2020-09-25 07:48:29\r\n% evt 2.0\n'), 0x25, 0x00, 0x00, 0x80, 0x0a, 0x00]);
    const got = split(bytes, 5);
    expect(got.fields).toEqual({ Date: '2020-09-25 07:48:29', evt: '2.0' });
    expect(got.data).toEqual([0x25, 0x00, 0x00, 0x80, 0x0a, 0x00]);
  });

  it('a header line cut by the end of the file is a DecodeError at the line start', () => {
    const splitter = new HeaderSplitter('cut.raw');
    expect(splitter.push(text('% evt 2.0\n% plugin_na'))).toBeUndefined();
    expect(() => splitter.end()).toThrow(/^cut.raw: at byte 10: header line cut short/);
  });
});
