/**
 * The IOHeader's description: DV's XML tree `<dv><node name="outInfo"><node name="ID">…` with one node per
 * stream carrying `typeIdentifier` (EVTS, FRME, IMUS, TRIG…), `compression`, and an `info` child with
 * `sizeX`/`sizeY` for cameras. Only the attributes we use are extracted, with a tag scanner rather than a
 * general XML parser (DV writes this tree itself; values are plain text or XML-escaped).
 */
export interface StreamInfo {
  readonly id: number;
  readonly type: string;
  readonly sizeX?: number;
  readonly sizeY?: number;
  readonly source?: string;
}

export function parseDescription(xml: string): StreamInfo[] {
  const streams = new Map<number, Record<string, string>>();
  const path: string[] = [];
  const tag = /<(\/?)(node|attr)\b([^>]*?)(\/?)>([^<]*)/g;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    const [, closing, kind, attributes, selfClosing, text] = m;
    if (kind === 'node') {
      if (closing) path.pop();
      else if (!selfClosing) path.push(/name="([^"]*)"/.exec(attributes!)?.[1] ?? '');
      continue;
    }
    if (closing) continue;
    const outInfo = path.indexOf('outInfo');
    if (outInfo < 0 || path.length <= outInfo + 1) continue;
    const id = Number(path[outInfo + 1]);
    if (!Number.isInteger(id)) continue;
    const key = /key="([^"]*)"/.exec(attributes!)?.[1];
    if (!key) continue;
    const entry = streams.get(id) ?? {};
    entry[key] = unescapeXml(text!.trim());
    streams.set(id, entry);
  }
  return [...streams.entries()].map(([id, a]) => ({
    id,
    type: a.typeIdentifier ?? '',
    sizeX: a.sizeX !== undefined ? Number(a.sizeX) : undefined,
    sizeY: a.sizeY !== undefined ? Number(a.sizeY) : undefined,
    source: a.source,
  }));
}

export interface DescribedStream {
  readonly id: number;
  readonly type: 'EVTS' | 'TRIG';
  readonly name: string;
  readonly description: string;
}

/** The description DV writes, for our event stream (with the sensor size) and trigger stream. */
export function buildDescription(
  streams: readonly DescribedStream[],
  compression: string,
  width: number,
  height: number,
  source: string,
): string {
  const lines = ['<dv version="2.0">', '    <node name="outInfo" path="/mainloop/Recorder/outInfo/">'];
  for (const s of streams) {
    const p = `/mainloop/Recorder/outInfo/${s.id}/`;
    lines.push(
      `        <node name="${s.id}" path="${p}">`,
      `            <attr key="compression" type="string">${compression}</attr>`,
      '            <attr key="originalModuleName" type="string">spikeflow</attr>',
      `            <attr key="originalOutputName" type="string">${s.name}</attr>`,
      `            <attr key="typeDescription" type="string">${escapeXml(s.description)}</attr>`,
      `            <attr key="typeIdentifier" type="string">${s.type}</attr>`,
      `            <node name="info" path="${p}info/">`,
    );
    if (s.type === 'EVTS') {
      lines.push(
        `                <attr key="sizeX" type="int">${width}</attr>`,
        `                <attr key="sizeY" type="int">${height}</attr>`,
      );
    }
    lines.push(
      `                <attr key="source" type="string">${escapeXml(source)}</attr>`,
      '                <attr key="tsOffset" type="long">0</attr>',
      '            </node>',
      '        </node>',
    );
  }
  lines.push('    </node>', '</dv>', '');
  return lines.join('\n');
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
