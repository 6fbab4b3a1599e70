/** Sensor sizes of the cameras cAER names in `#Source N: NAME` header lines. */
export function sourceGeometry(lines: readonly string[]): { width: number; height: number } | undefined {
  for (const line of lines) {
    const m = /^#-?Source\s+\d+:\s*(.*)$/i.exec(line);
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    if (/dvs128|edvs/.test(name)) return { width: 128, height: 128 };
    if (/davis240/.test(name)) return { width: 240, height: 180 };
    if (/davis346/.test(name)) return { width: 346, height: 260 };
    if (/davis640|dvxplorer/.test(name)) return { width: 640, height: 480 };
  }
  return undefined;
}

/** The camera name our encoder writes for a geometry (plus a `#Geometry:` line for any size). */
export function sourceNameFor(width: number, height: number): string {
  if (width === 128 && height === 128) return 'DVS128';
  if (width === 240 && height === 180) return 'DAVIS240C';
  if (width === 346 && height === 260) return 'DAVIS346B';
  if (width === 640 && height === 480) return 'DVXplorer';
  return 'spikeflow';
}
