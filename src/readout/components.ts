/**
 * Connected components (8-connectivity) of the active cells of a grid, as struct-of-arrays bounding boxes.
 * A cell is active when `activity[i] >= minActivity`. Breadth-first search with one Int32Array queue that is
 * reused across calls: no object per cell, no recursion.
 */
export interface Components {
  /** Number of components found. */
  readonly count: number;
  /** Inclusive cell bounds of each component. */
  readonly x0: Int32Array;
  readonly y0: Int32Array;
  readonly x1: Int32Array;
  readonly y1: Int32Array;
  /** Number of active cells and their summed activity. */
  readonly cells: Int32Array;
  readonly mass: Float64Array;
  /**
   * Per cell: the index of the component it belongs to, or -1 (inactive, or in a component below minCells).
   * Owned by the finder and overwritten by its next `find`.
   */
  readonly labels: Int32Array;
}

export class ComponentFinder {
  private readonly queue: Int32Array;
  private readonly seen: Uint8Array;
  private readonly labels: Int32Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.queue = new Int32Array(width * height);
    this.seen = new Uint8Array(width * height);
    this.labels = new Int32Array(width * height);
  }

  find(activity: ArrayLike<number>, minActivity: number, minCells = 1): Components {
    const { width: w, height: h, queue, seen, labels } = this;
    seen.fill(0);
    labels.fill(-1);
    const x0: number[] = [];
    const y0: number[] = [];
    const x1: number[] = [];
    const y1: number[] = [];
    const cells: number[] = [];
    const mass: number[] = [];
    for (let start = 0; start < w * h; start++) {
      if (seen[start] || activity[start] < minActivity) continue;
      seen[start] = 1;
      let head = 0;
      let tail = 0;
      queue[tail++] = start;
      let bx0 = w;
      let by0 = h;
      let bx1 = -1;
      let by1 = -1;
      let sum = 0;
      while (head < tail) {
        const i = queue[head++];
        const cy = (i / w) | 0;
        const cx = i - cy * w;
        sum += activity[i];
        if (cx < bx0) bx0 = cx;
        if (cx > bx1) bx1 = cx;
        if (cy < by0) by0 = cy;
        if (cy > by1) by1 = cy;
        for (let dy = -1; dy <= 1; dy++) {
          const ny = cy + dy;
          if (ny < 0 || ny >= h) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const nx = cx + dx;
            if (nx < 0 || nx >= w) continue;
            const j = ny * w + nx;
            if (seen[j] || activity[j] < minActivity) continue;
            seen[j] = 1;
            queue[tail++] = j;
          }
        }
      }
      if (tail < minCells) continue;
      // The queue holds exactly this component's cells, in visiting order.
      for (let q = 0; q < tail; q++) labels[queue[q]] = x0.length;
      x0.push(bx0);
      y0.push(by0);
      x1.push(bx1);
      y1.push(by1);
      cells.push(tail);
      mass.push(sum);
    }
    return {
      count: x0.length,
      x0: Int32Array.from(x0),
      y0: Int32Array.from(y0),
      x1: Int32Array.from(x1),
      y1: Int32Array.from(y1),
      cells: Int32Array.from(cells),
      mass: Float64Array.from(mass),
      labels,
    };
  }
}
