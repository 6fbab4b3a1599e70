/**
 * One grey-level video frame: luma in 0..255, row-major (`data[y * width + x]`), taken at time `t` (µs).
 * Frame sources rebase time so that the first frame of a video is at t = 0 µs.
 */
export interface Frame {
  data: Uint8Array;
  width: number;
  height: number;
  /** µs */
  t: number;
}
