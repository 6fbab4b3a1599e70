import type { PixelBox } from './boxes.ts';
import { iou, MIN_ELONGATION } from './boxes.ts';
import type { DetectionBox } from './detectionFrame.ts';
import type { TrackPrediction } from './splitShared.ts';

/**
 * Tracks boxes over time, in the spirit of jAER's RectangularClusterTracker: each frame's boxes are matched
 * greedily to the predicted positions of existing tracks (best IoU first, then nearest centre within a gate),
 * matched tracks move towards the measurement and update a smoothed velocity, unmatched boxes start tentative
 * tracks, and tracks unseen for `timeoutUs` are dropped. A track is reported once it was matched `minHits`
 * times, so single flickers of noise never become detections.
 */
export interface TrackerOptions {
  /** Time without a match after which a track is dropped (µs). */
  readonly timeoutUs: number;
  /** Matches needed before a track is reported. */
  readonly minHits: number;
  /** A track is still reported (at its predicted position) this long after its last match (µs). */
  readonly coastUs: number;
  /** Centre distance gate, as a fraction of the track's larger side, for matches without overlap. */
  readonly gate: number;
  /** Weight of a new measurement in the box position and size (0..1]. */
  readonly smoothing: number;
  /** Weight of a new velocity sample (0..1]. */
  readonly velocitySmoothing: number;
  /**
   * Weight of a shared box (a track's share of a blob that several objects fire together) in the position
   * (0..1]; 0 follows the prediction alone. The track moves by this × the least shift that makes its box agree
   * with the share (see agreeingShift). Size and velocity are held while the objects overlap: the share is
   * cut where the objects meet, so its extent says little about the object's.
   */
  readonly sharedSmoothing: number;
  /** Tracks whose boxes overlap or are at most this far apart (px) and that move alike are merged (see mergeDuplicates). */
  readonly duplicateGap: number;
  /** Velocity difference (px/s) below which two overlapping tracks move alike, plus half the faster speed. */
  readonly duplicateSpeed: number;
  /** Tracks matched to blobs of their own whose boxes overlap by this fraction of the smaller one are merged. */
  readonly duplicateOverlap: number;
}

export const DEFAULT_TRACKER: TrackerOptions = {
  timeoutUs: 100_000,
  minHits: 2,
  coastUs: 20_000,
  gate: 0.75,
  smoothing: 0.7,
  velocitySmoothing: 0.3,
  sharedSmoothing: 0.25,
  duplicateGap: 4,
  duplicateSpeed: 40,
  duplicateOverlap: 0.3,
};

interface Track {
  /** Internal key, assigned at creation (ids are given only when a track is first reported). */
  key: number;
  id: number;
  x: number;
  y: number;
  w: number;
  h: number;
  vx: number;
  vy: number;
  lastT: number;
  hits: number;
  mass: number;
  /** Last updated from a share of a blob (see share). */
  shared: boolean;
}

export class Tracker {
  private tracks: Track[] = [];
  private nextId = 1;
  private nextKey = 1;
  private readonly options: TrackerOptions;

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER, ...options };
  }

  /**
   * Where the confirmed tracks (matched at least `minHits` times, not timed out) expect their objects at time t,
   * keyed for boxes that name their track (`PixelBox.track`).
   */
  predictions(t: number): TrackPrediction[] {
    const o = this.options;
    const out: TrackPrediction[] = [];
    for (const track of this.tracks) {
      if (track.hits < o.minHits || t - track.lastT > o.timeoutUs) continue;
      out.push({ key: track.key, ...predict(track, t), vx: track.vx, vy: track.vy });
    }
    return out;
  }

  /**
   * Matches the boxes measured at time t (µs) and returns the tracks to report. Boxes that name a track
   * (`track`, a key from `predictions`) go to that track; the others are matched by overlap and distance.
   */
  update(t: number, boxes: readonly PixelBox[]): DetectionBox[] {
    const o = this.options;
    this.tracks = this.tracks.filter((track) => t - track.lastT <= o.timeoutUs);
    const predicted = this.tracks.map((track) => predict(track, t));
    const trackUsed = new Uint8Array(this.tracks.length);
    const boxUsed = new Uint8Array(boxes.length);
    for (let j = 0; j < boxes.length; j++) {
      const key = boxes[j].track;
      if (key === undefined) continue;
      boxUsed[j] = 1;
      const i = this.tracks.findIndex((track) => track.key === key);
      if (i < 0 || trackUsed[i]) continue;
      trackUsed[i] = 1;
      this.share(this.tracks[i], predicted[i], boxes[j], t);
    }
    const pairs: { track: number; box: number; iou: number; dist: number }[] = [];
    for (let i = 0; i < predicted.length; i++) {
      if (trackUsed[i]) continue;
      const p = predicted[i];
      for (let j = 0; j < boxes.length; j++) {
        if (boxUsed[j]) continue;
        const b = boxes[j];
        const overlap = iou(p.x, p.y, p.w, p.h, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
        const dist = Math.hypot(p.x + p.w / 2 - (b.x0 + b.x1) / 2, p.y + p.h / 2 - (b.y0 + b.y1) / 2);
        if (overlap > 0 || dist <= o.gate * Math.max(p.w, p.h)) pairs.push({ track: i, box: j, iou: overlap, dist });
      }
    }
    pairs.sort((a, b) => b.iou - a.iou || a.dist - b.dist);
    for (const pair of pairs) {
      if (trackUsed[pair.track] || boxUsed[pair.box]) continue;
      trackUsed[pair.track] = 1;
      boxUsed[pair.box] = 1;
      this.correct(this.tracks[pair.track], predicted[pair.track], boxes[pair.box], t);
    }
    for (let j = 0; j < boxes.length; j++) {
      if (boxUsed[j]) continue;
      const b = boxes[j];
      // A box lying mostly inside a track's box is another piece of that object (an edge that did not
      // connect), not a new object.
      if (predicted.some((p) => overlapFraction(b, p) >= 0.5)) continue;
      this.tracks.push({ key: this.nextKey++, id: 0, x: b.x0, y: b.y0, w: b.x1 - b.x0, h: b.y1 - b.y0, vx: 0, vy: 0, lastT: t, hits: 1, mass: b.mass, shared: false });
    }
    this.mergeDuplicates(t);
    return this.report(t);
  }

  private correct(track: Track, p: { x: number; y: number; w: number; h: number }, b: PixelBox, t: number): void {
    const o = this.options;
    const dt = (t - track.lastT) / 1e6;
    const cxOld = track.x + track.w / 2;
    const cyOld = track.y + track.h / 2;
    const a = o.smoothing;
    track.x = p.x + a * (b.x0 - p.x);
    track.y = p.y + a * (b.y0 - p.y);
    track.w = p.w + a * (b.x1 - b.x0 - p.w);
    track.h = p.h + a * (b.y1 - b.y0 - p.h);
    if (dt > 0) {
      const vx = (track.x + track.w / 2 - cxOld) / dt;
      const vy = (track.y + track.h / 2 - cyOld) / dt;
      const k = track.hits === 1 ? 1 : o.velocitySmoothing;
      track.vx += k * (vx - track.vx);
      track.vy += k * (vy - track.vy);
    }
    track.lastT = t;
    track.hits++;
    track.mass = b.mass;
    track.shared = false;
  }

  /**
   * Two tracks on one object (its leading and trailing edges seen apart for a while, then together) would
   * otherwise share its blob between them for good. Tracks whose boxes touch (`duplicateGap`) and that move
   * alike (velocities within `duplicateSpeed` px/s plus half the faster speed) are one object: the one with
   * more history absorbs the other's extent. Objects that cross move differently, so they stay apart.
   */
  private mergeDuplicates(t: number): void {
    const o = this.options;
    const tracks = this.tracks;
    if (tracks.length < 2) return;
    const p = tracks.map((track) => predict(track, t));
    const dropped = new Uint8Array(tracks.length);
    for (let i = 0; i < tracks.length; i++) {
      for (let j = i + 1; j < tracks.length && !dropped[i]; j++) {
        if (dropped[j]) continue;
        const a = tracks[i];
        const b = tracks[j];
        const gx = Math.max(p[i].x, p[j].x) - Math.min(p[i].x + p[i].w, p[j].x + p[j].w);
        const gy = Math.max(p[i].y, p[j].y) - Math.min(p[i].y + p[i].h, p[j].y + p[j].h);
        if (Math.max(gx, gy) > o.duplicateGap) continue;
        const dv = Math.hypot(a.vx - b.vx, a.vy - b.vy);
        const alike = dv <= o.duplicateSpeed + 0.5 * Math.max(Math.hypot(a.vx, a.vy), Math.hypot(b.vx, b.vy));
        // Boxes that overlap a lot although each was matched to a blob of its own are pieces of one object
        // (objects that overlap fire one blob, which is shared instead), whatever their noisy velocities say.
        const nested = !a.shared && !b.shared && overlapArea(p[i], p[j]) >= o.duplicateOverlap * Math.min(p[i].w * p[i].h, p[j].w * p[j].h);
        // Moving alike is evidence of one object only while one of the tracks could be a piece of it: new
        // (an edge seen first) or a stripe. Two compact tracks that have both been confirmed on blobs of their
        // own are two objects that happen to travel side by side, and merging them loses one for good.
        const couldBePiece = Math.min(a.hits, b.hits) < 2 * o.minHits || isStripe(p[i]) || isStripe(p[j]);
        if (!(alike && couldBePiece) && !nested) continue;
        const [keep, drop, k, d] = b.hits > a.hits ? [b, a, j, i] : [a, b, i, j];
        const x0 = Math.min(p[k].x, p[d].x);
        const y0 = Math.min(p[k].y, p[d].y);
        keep.w = Math.max(p[k].x + p[k].w, p[d].x + p[d].w) - x0;
        keep.h = Math.max(p[k].y + p[k].h, p[d].y + p[d].h) - y0;
        keep.x = x0 - keep.vx * ((t - keep.lastT) / 1e6);
        keep.y = y0 - keep.vy * ((t - keep.lastT) / 1e6);
        keep.lastT = Math.max(keep.lastT, drop.lastT);
        if (keep.lastT === t) {
          keep.x = x0;
          keep.y = y0;
        }
        dropped[d] = 1;
      }
    }
    this.tracks = tracks.filter((_, i) => !dropped[i]);
  }

  /** A track's share of a blob it fires together with other objects: position only, size and velocity held. */
  private share(track: Track, p: { x: number; y: number; w: number; h: number }, b: PixelBox, t: number): void {
    // An empty share (the object is hidden) is no evidence: the track coasts and may time out.
    if (b.mass <= 0) return;
    const a = this.options.sharedSmoothing;
    const dx = agreeingShift(p.x, p.w, b.x0, b.x1);
    const dy = agreeingShift(p.y, p.h, b.y0, b.y1);
    track.x = p.x + a * dx;
    track.y = p.y + a * dy;
    track.lastT = t;
    track.shared = true;
  }

  private report(t: number): DetectionBox[] {
    const o = this.options;
    const out: DetectionBox[] = [];
    for (const track of this.tracks) {
      if (track.hits < o.minHits || t - track.lastT > o.coastUs) continue;
      if (track.id === 0) track.id = this.nextId++;
      const p = predict(track, t);
      const fresh = track.lastT === t ? 1 : 0.5;
      out.push({
        id: track.id,
        x: Math.round(p.x),
        y: Math.round(p.y),
        w: Math.max(1, Math.round(p.w)),
        h: Math.max(1, Math.round(p.h)),
        score: round3(fresh * Math.min(1, track.hits / (2 * o.minHits))),
        vx: Math.round(track.vx),
        vy: Math.round(track.vy),
      });
    }
    return out;
  }
}

/**
 * The least shift of [x, x + w) along one axis that agrees with a share [b0, b1) of a blob: a narrower share
 * (the object partly hidden, or only one of its edges firing) must lie inside the box, a wider one (cells its
 * edges left behind, or a cut that fell beyond it) must hold the box. A share's extent is set by where the
 * objects meet and by the input trace's memory, so its centre says little about the object's; the prediction
 * is kept wherever it agrees with the evidence.
 */
function agreeingShift(x: number, w: number, b0: number, b1: number): number {
  const lo = Math.min(b0, b1 - w);
  const hi = Math.max(b0, b1 - w);
  return x < lo ? lo - x : x > hi ? hi - x : 0;
}

/** The fraction of box b's area that lies inside rectangle p. */
function overlapFraction(b: PixelBox, p: { x: number; y: number; w: number; h: number }): number {
  const ix = Math.min(b.x1, p.x + p.w) - Math.max(b.x0, p.x);
  const iy = Math.min(b.y1, p.y + p.h) - Math.max(b.y0, p.y);
  if (ix <= 0 || iy <= 0) return 0;
  return (ix * iy) / ((b.x1 - b.x0) * (b.y1 - b.y0));
}

/** A box long and thin enough to be one edge of an object (the elongation boxes.ts uses for edge stripes). */
function isStripe(b: { w: number; h: number }): boolean {
  return Math.max(b.w, b.h) >= MIN_ELONGATION * Math.min(b.w, b.h);
}

function overlapArea(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }): number {
  const ix = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const iy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return ix > 0 && iy > 0 ? ix * iy : 0;
}

function predict(track: Track, t: number): { x: number; y: number; w: number; h: number } {
  const dt = (t - track.lastT) / 1e6;
  return { x: track.x + track.vx * dt, y: track.y + track.vy * dt, w: track.w, h: track.h };
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
