import { MAGIC_BYTES } from './layout.ts';

export function sniffAedat4(head: Uint8Array): 'certain' | 'no' {
  if (head.length < MAGIC_BYTES.length) return 'no';
  for (let i = 0; i < MAGIC_BYTES.length; i++) if (head[i] !== MAGIC_BYTES[i]) return 'no';
  return 'certain';
}
