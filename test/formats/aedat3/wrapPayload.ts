import { readFileSync } from 'node:fs';

/**
 * Builds an AEDAT 3.1 file from a bare libcaer polarity payload, written here independently of the
 * spikeflow encoder: one polarity packet per ROS message, split where the 31-bit time stamp wraps, with
 * tsOverflow counting the wraps (libcaer's rule: full time = (tsOverflow << 31) + ts).
 */
export function wrapPayloadAsAedat31(payload: Uint8Array, tsvPath: string, source = 'DVXplorer'): Uint8Array {
  const rows = readFileSync(tsvPath, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t').map(Number));
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const parts: Uint8Array[] = [new TextEncoder().encode(`#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: ${source}\r\n#Start-Time: 2023-12-11 16:38:40 (TZ+0000)\r\n#!END-HEADER\r\n`)];
  let overflow = 0;
  let lastTs = -1;
  const emit = (start: number, end: number) => {
    if (end <= start) return;
    const n = (end - start) / 8;
    const header = new DataView(new ArrayBuffer(28));
    header.setInt16(0, 1, true);
    header.setInt16(2, 1, true);
    header.setInt32(4, 8, true);
    header.setInt32(8, 4, true);
    header.setInt32(12, overflow, true);
    header.setInt32(16, n, true);
    header.setInt32(20, n, true);
    header.setInt32(24, n, true);
    parts.push(new Uint8Array(header.buffer), payload.subarray(start, end));
  };
  for (const [, offset, length] of rows) {
    let start = offset!;
    for (let at = offset!; at < offset! + length!; at += 8) {
      const ts = view.getInt32(at + 4, true);
      if (ts < lastTs) {
        emit(start, at);
        start = at;
        overflow++;
      }
      lastTs = ts;
    }
    emit(start, offset! + length!);
  }
  return new Uint8Array(Buffer.concat(parts));
}
