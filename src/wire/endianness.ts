/**
 * Our wire layouts are little-endian, and the encoders write them through typed-array views for speed, which
 * use the host's byte order. Every platform Node supports for spikeflow (x64, arm64) is little-endian; this
 * check turns a silent corruption on an exotic big-endian host into a clear error at load time.
 */
export function assertLittleEndianHost(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error('spikeflow wire formats need a little-endian host (x64, arm64)');
  }
}
