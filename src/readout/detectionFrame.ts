/** One tracked object: a box in sensor pixels (x, y = top-left corner), with a track id stable over time. */
export interface DetectionBox {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** Confidence in 0..1 (how much recent spike evidence supports the box). */
  readonly score: number;
  /** Velocity estimate in pixels per second, when the track has history. */
  readonly vx?: number;
  readonly vy?: number;
}

/** The tracked boxes at time `t` (µs), in the pixel space of a `width` × `height` sensor or camera frame. */
export interface DetectionFrame {
  readonly t: number;
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly DetectionBox[];
}
