import { Lz4FrameDecoder, encodeLz4Frame } from '../../codecs/lz4Frame.ts';
import { zstdDecompress, zstdStoreRaw } from '../../codecs/zstd.ts';
import { Compression } from './layout.ts';

/**
 * Undoes (or applies) the file-wide packet compression of the IOHeader. The returned bytes of `decompress`
 * may be a view of a reused buffer: use them before the next call.
 */
export class PacketCodec {
  private lz4: Lz4FrameDecoder | undefined;
  /** `wasm` picks the LZ4 block decoder (see Lz4FrameDecoderOptions). */
  constructor(
    readonly compression: number,
    private readonly wasm?: boolean,
  ) {}

  decompress(bytes: Uint8Array): Uint8Array {
    switch (this.compression) {
      case Compression.None:
        return bytes;
      case Compression.Lz4:
      case Compression.Lz4High:
        this.lz4 ??= new Lz4FrameDecoder({ wasm: this.wasm });
        return this.lz4.decode(bytes);
      default:
        return zstdDecompress(bytes);
    }
  }

  compress(bytes: Uint8Array): Uint8Array {
    switch (this.compression) {
      case Compression.None:
        return bytes;
      case Compression.Lz4:
      case Compression.Lz4High:
        return encodeLz4Frame(bytes);
      default:
        return zstdStoreRaw(bytes);
    }
  }
}
