/** A Python literal as NumPy writes it in `.npy` headers: dict, list, tuple, str, int, True/False/None. */
export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

/** Parses the header dict; throws a plain Error with the character position on anything else. */
export function parsePyLiteral(text: string): PyValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at character ${i} of the header`);
  };
  const space = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  function value(): PyValue {
    space();
    const c = text[i];
    if (c === '{') return dict();
    if (c === '[' || c === '(') return sequence(c === '[' ? ']' : ')');
    if (c === "'" || c === '"') return str();
    const word = /^(True|False|None|-?\d+)/.exec(text.slice(i, i + 32));
    if (!word) return fail(`unexpected ${c === undefined ? 'end' : JSON.stringify(c)}`);
    i += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    return Number(word[0]);
  }
  function str(): string {
    const quote = text[i++];
    const start = i;
    while (i < text.length && text[i] !== quote) i++;
    if (i >= text.length) fail('unterminated string');
    return text.slice(start, i++);
  }
  function sequence(close: string): PyValue[] {
    i++;
    const out: PyValue[] = [];
    for (;;) {
      space();
      if (text[i] === close) {
        i++;
        return out;
      }
      out.push(value());
      space();
      if (text[i] === ',') i++;
      else if (text[i] !== close) fail(`expected "," or "${close}"`);
    }
  }
  function dict(): { [key: string]: PyValue } {
    i++;
    const out: { [key: string]: PyValue } = {};
    for (;;) {
      space();
      if (text[i] === '}') {
        i++;
        return out;
      }
      const key = value();
      if (typeof key !== 'string') fail('dict keys must be strings');
      space();
      if (text[i++] !== ':') fail('expected ":"');
      out[key as string] = value();
      space();
      if (text[i] === ',') i++;
      else if (text[i] !== '}') fail('expected "," or "}"');
    }
  }
  const result = value();
  space();
  if (i < text.length) fail('trailing characters');
  return result;
}
