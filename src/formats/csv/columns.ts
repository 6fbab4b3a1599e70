/** Column names a CSV/TXT header may use, and the time unit a name implies. */
export type Field = 't' | 'x' | 'y' | 'p';
export type TimeUnit = 's' | 'us';

const ALIASES: Record<Field, readonly string[]> = {
  t: ['t', 'ts', 'time', 'timestamp', 'timestamps'],
  x: ['x'],
  y: ['y'],
  p: ['p', 'pol', 'polarity', 'on', 'is_increase'],
};

/**
 * Splits a header name into its base and an optional unit: `t`, `t_us`, `t[s]`, `timestamp (us)`,
 * `time_seconds`.
 */
function parseName(raw: string): { base: string; unit?: TimeUnit } {
  const name = raw.trim().toLowerCase().replace(/^["']|["']$/g, '');
  const m = /^([a-z_]+?)(?:[_\s]*[[(]?\s*(s|sec|secs|seconds|us|µs|usec|microseconds)\s*[\])]?)?$/.exec(name);
  if (!m) return { base: name };
  const unit = m[2] === undefined ? undefined : /^(s|sec|secs|seconds)$/.test(m[2]) ? 's' : 'us';
  return { base: m[1]!, unit };
}

/** Column index of each field, or a message saying which field a header lacks. */
export function mapHeader(names: readonly string[]): { index: Record<Field, number>; unit?: TimeUnit } | string {
  const index: Record<Field, number> = { t: -1, x: -1, y: -1, p: -1 };
  let unit: TimeUnit | undefined;
  names.forEach((raw, i) => {
    const { base, unit: u } = parseName(raw);
    for (const field of ['t', 'x', 'y', 'p'] as const) {
      if (index[field] < 0 && ALIASES[field].includes(base)) {
        index[field] = i;
        if (field === 't') unit = u;
      }
    }
    if (base === 'seconds' && index.t < 0) {
      index.t = i;
      unit = 's';
    }
  });
  const missing = (['t', 'x', 'y', 'p'] as const).filter((f) => index[f] < 0);
  if (missing.length > 0) return `the header (${names.join(', ')}) names no column for ${missing.join(', ')}`;
  return { index, unit };
}

/** `# 640 480`, `# width 640 height 480`, `# width=640, height=480`, `# 640x480`. */
export function geometryComment(line: string): { width: number; height: number } | undefined {
  const m = /^#\s*(?:width\s*[:=]?\s*)?(\d+)\s*(?:[,;x×]\s*|\s+)(?:height\s*[:=]?\s*)?(\d+)\s*$/i.exec(line.trim());
  if (!m) return undefined;
  return { width: Number(m[1]), height: Number(m[2]) };
}
