/**
 * AEDAT 2.0 address layouts (jAER): which bits hold x, y and polarity depends on the camera class named in
 * the `# AEChip:` header line.
 */
export type Aedat2Layout = 'davis' | 'dvs128';

export interface ChipInfo {
  readonly layout: Aedat2Layout;
  readonly width?: number;
  readonly height?: number;
}

/** Sensor sizes from jAER's chip classes (Davis346BaseCamera 346×260, DAVIS240 240×180, DVS128 128×128). */
export function chipInfo(aeChip: string | undefined): ChipInfo | undefined {
  if (!aeChip) return undefined;
  const name = aeChip.toLowerCase();
  if (/dvs128|tmpdiff128/.test(name)) return { layout: 'dvs128', width: 128, height: 128 };
  if (/davis346|davis_346/.test(name)) return { layout: 'davis', width: 346, height: 260 };
  if (/davis240|sbret10/.test(name)) return { layout: 'davis', width: 240, height: 180 };
  if (/davis640|dvxplorer/.test(name)) return { layout: 'davis', width: 640, height: 480 };
  if (/davis/.test(name)) return { layout: 'davis' };
  return undefined;
}

/** The AEChip class our encoder names for a geometry (the sensor size also goes in a `# Geometry:` line). */
export function chipClassFor(layout: Aedat2Layout, width: number, height: number): string {
  if (layout === 'dvs128') return 'ch.unizh.ini.jaer.chip.retina.DVS128';
  if (width === 346 && height === 260) return 'eu.seebetter.ini.chips.davis.Davis346B';
  if (width === 240 && height === 180) return 'eu.seebetter.ini.chips.davis.DAVIS240C';
  return 'eu.seebetter.ini.chips.davis.DavisBaseCamera';
}
