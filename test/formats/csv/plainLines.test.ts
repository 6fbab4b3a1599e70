import { describe, expect, it } from 'vitest';
import type { EventBatch } from '../../../src/events/eventBatch.ts';
import { format } from '../../../src/formats/csv/index.ts';
import { mulberry32 } from '../mulberry32.ts';
import { decodeBytes } from '../nmnist/codecHarness.ts';

/**
 * The fast path for plain integer lines must accept exactly what the general line parser accepts, with the
 * same values and the same errors. Fed one byte at a time, every line reaches the general parser (it is
 * completed in the carry buffer); fed whole, the plain lines take the fast path. Both must agree.
 */
function outcome(bytes: Uint8Array, chunk: number, options: Record<string, unknown>): string {
  try {
    const { events } = decodeBytes(format, bytes, chunk, options);
    return describeEvents(events);
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

function describeEvents(e: EventBatch): string {
  const rows: string[] = [`${e.length} events ${e.width}x${e.height}`];
  for (let i = 0; i < e.length; i++) rows.push(`${e.t[i]} ${e.x[i]} ${e.y[i]} ${e.p[i]}`);
  return rows.join('\n');
}

const SEPARATORS = [',', ' ', '\t', ';', ', ', '  '];
/** Field spellings, plain and not: the fast path must decline the odd ones to the general parser. */
function token(random: () => number, t: number, seconds: boolean, noise: number): string {
  const r = random() / noise;
  if (r < 0.03) return ['-1', '+3', '1e3', '.5', '12.', '0x1', 'a', '', '007', '1.0', '#'][Math.floor(random() * 11)]!;
  if (r < 0.05) return '9'.repeat(14 + Math.floor(random() * 4));
  if (!seconds) return String(t);
  const whole = Math.floor(t / 1e6);
  const frac = String(t % 1e6).padStart(6, '0') + String(Math.floor(random() * 1000)).slice(0, Math.floor(random() * 4));
  return random() < 0.1 ? String(whole) : `${whole}.${frac}`;
}

function randomText(random: () => number): { text: string; options: Record<string, unknown> } {
  const seconds = random() < 0.4;
  // Half the texts are clean (only plain lines, separators and CRLF vary); in the others a line is odd now and then.
  const noise = random() < 0.5 ? 0.3 : 0;
  const odd = (p: number) => random() < p * noise;
  const lines: string[] = [];
  if (random() < 0.5) lines.push(random() < 0.5 ? '# 40 30' : '# width 40 height 30');
  if (random() < 0.3) lines.push(seconds ? 't[s],x,y,p' : random() < 0.5 ? 'x y p t' : 't,x,y,p');
  const order = lines.at(-1) === 'x y p t' ? [1, 2, 3, 0] : [0, 1, 2, 3];
  let t = Math.floor(random() * 1e7);
  const n = 5 + Math.floor(random() * 30);
  for (let i = 0; i < n; i++) {
    t += odd(0.05) ? -1 : random() < 0.2 ? 0 : Math.floor(random() * 5000);
    const fields = [
      token(random, Math.max(0, t), seconds, noise),
      String(Math.floor(random() * (odd(0.05) ? 60 : 40))),
      String(Math.floor(random() * (odd(0.05) ? 50 : 30))),
      odd(0.1) ? '-1' : odd(0.03) ? '2' : String(random() < 0.5 ? 1 : 0),
    ];
    const ordered = order.map((k) => fields[k]!);
    if (odd(0.05)) ordered.push('extra');
    if (odd(0.03)) ordered.pop();
    const sep = SEPARATORS[Math.floor(random() * SEPARATORS.length)]!;
    let line = (random() < 0.05 ? ' ' : '') + ordered.join(sep) + (random() < 0.05 ? sep : '');
    if (random() < 0.1) line += '\r';
    if (odd(0.02)) line += '\r';
    lines.push(line);
    if (odd(0.1)) lines.push(random() < 0.5 ? '' : '# comment');
  }
  const options: Record<string, unknown> = random() < 0.5 ? { width: 40, height: 30 } : {};
  if (random() < 0.1) options.timeUnit = seconds ? 's' : 'us';
  return { text: lines.join('\n') + (random() < 0.8 ? '\n' : ''), options };
}

describe('CSV fast path for plain lines', () => {
  it('agrees with the general line parser on 3,000 seeded texts (values and error messages)', () => {
    const random = mulberry32(20261128);
    let errors = 0;
    let events = 0;
    for (let k = 0; k < 3000; k++) {
      const { text, options } = randomText(random);
      const bytes = new TextEncoder().encode(text);
      const general = outcome(bytes, 1, options);
      expect(outcome(bytes, 1 << 20, options), `text ${k}:\n${text}`).toBe(general);
      if (general.startsWith('error')) errors++;
      else events += Number(general.split(' ')[0]);
    }
    // Both kinds of outcome are exercised.
    expect(errors).toBeGreaterThan(300);
    expect(events).toBeGreaterThan(10_000);
  });
  it('rounds seconds on the decimal digits in the fast path too', () => {
    const text = new TextEncoder().encode('# 4 4\n0.0000005 1 1 1\n0.0000015 1 1 1\n2.9999995 1 1 0\n3.0000004999 1 1 0\n');
    expect(Array.from(decodeBytes(format, text, 1 << 20).events.t)).toEqual([1, 2, 3_000_000, 3_000_000]);
  });
});
