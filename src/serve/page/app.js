// The live page: camera -> downscaled luma frames -> ws://host/stream; draws what the server sends back.
// Camera frame layout: see src/serve/cameraFrameMessage.ts. Server messages: SPKF binary frames
// (src/wire/eventFrame.ts) for events and spikes, JSON text for hello/layout/detections/stats.

const MAX_IN_FLIGHT = 2; // frames sent but not yet answered; beyond this a frame is dropped (and counted)
const FPS = 30;
const FORGET_AFTER_MS = 1000; // a frame unanswered this long (the server rejected it) no longer holds a slot
const KEPT_LATENCIES = 2000; // for the latency percentiles in window.spikeflowStats

// ?width=640&threshold=0.3&pooling=2 preset the controls (used by the browser test and the benchmark).
const query = new URLSearchParams(location.search);

const $ = (id) => document.getElementById(id);
const video = $('video');
const cameraCanvas = $('camera');
const eventsCanvas = $('events');
const spikesCanvas = $('spikes');
const grab = document.createElement('canvas');

const state = {
  ws: undefined, frameId: 0, inFlight: new Map(), dropped: 0, sent: 0, boxes: [], layout: undefined,
  latencies: [], allLatencies: [], eventCount: 0, frameTimes: [], t0: undefined, answered: 0, detections: 0, cameraFrames: 0,
};

function setStatus(text) { $('status').textContent = text; }

async function start() {
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
  } catch (error) {
    setStatus(`No camera: ${error.message}`);
    return;
  }
  video.srcObject = stream;
  await video.play();
  connect();
  if ('requestVideoFrameCallback' in video) {
    // One grab per new camera frame (no duplicates, latency counted from the frame's arrival).
    // Chromium was seen calling back far more often than the camera delivers (with a hidden video element,
    // under load): a frame is sent once, identified by its media time.
    let lastPresented = -1;
    const onVideoFrame = (_now, metadata) => {
      if (metadata.mediaTime !== lastPresented) {
        lastPresented = metadata.mediaTime;
        state.cameraFrames++;
        sendFrame();
        drawCamera();
      }
      video.requestVideoFrameCallback(onVideoFrame);
    };
    video.requestVideoFrameCallback(onVideoFrame);
  } else {
    setInterval(() => { sendFrame(); drawCamera(); }, 1000 / FPS);
  }
  setInterval(showStats, 500);
}

// An animation frame is asked for only when there is something new to draw: a permanent requestAnimationFrame
// loop would keep the compositor producing frames 60 times a second for nothing.
let drawScheduled = false;
function scheduleDraw() {
  if (drawScheduled) return;
  drawScheduled = true;
  requestAnimationFrame(() => { drawScheduled = false; drawStreams(); });
}

function connect() {
  const ws = new WebSocket(`ws://${location.host}/stream?role=camera`);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => setStatus('Streaming');
  ws.onclose = () => { setStatus('Disconnected; retrying…'); state.ws = undefined; setTimeout(connect, 1000); };
  ws.onmessage = (message) => (typeof message.data === 'string' ? onJson(JSON.parse(message.data)) : onBinary(message.data));
  state.ws = ws;
}

function sendSettings() {
  if (state.ws?.readyState !== WebSocket.OPEN) return;
  state.ws.send(JSON.stringify({ type: 'settings', threshold: Number($('threshold').value), pooling: Number($('pooling').value) }));
}

function sendFrame() {
  const ws = state.ws;
  if (!ws || ws.readyState !== WebSocket.OPEN || video.videoWidth === 0) return;
  const started = performance.now();
  for (const [id, sentAt] of state.inFlight) if (started - sentAt > FORGET_AFTER_MS) state.inFlight.delete(id);
  if (state.inFlight.size >= MAX_IN_FLIGHT) { state.dropped++; return; }
  const camW = video.videoWidth, camH = video.videoHeight;
  const w = Math.min(Number($('procWidth').value), camW);
  const h = Math.round((camH * w) / camW);
  grab.width = w; grab.height = h;
  const g = grab.getContext('2d', { willReadFrequently: true });
  g.drawImage(video, 0, 0, w, h);
  const rgba = g.getImageData(0, 0, w, h).data;
  // Latency counts from the grab, and the frame's time is the grab's time on the page clock.
  const now = started;
  state.t0 ??= now;
  const buffer = new ArrayBuffer(32 + w * h);
  const view = new DataView(buffer);
  view.setUint32(0, 0x4d524653, true); // "SFRM"
  view.setUint8(4, 1);
  view.setUint16(8, w, true); view.setUint16(10, h, true);
  view.setUint16(12, camW, true); view.setUint16(14, camH, true);
  const id = ++state.frameId;
  view.setUint32(16, id, true);
  view.setFloat64(24, Math.round((now - state.t0) * 1000), true);
  const luma = new Uint8Array(buffer, 32);
  for (let i = 0, j = 0; i < luma.length; i++, j += 4) {
    luma[i] = (rgba[j] * 77 + rgba[j + 1] * 150 + rgba[j + 2] * 29) >> 8; // BT.601 luma
  }
  state.inFlight.set(id, now);
  state.sent++;
  ws.send(buffer);
}

function onJson(message) {
  if (message.type === 'hello') {
    // The server's settings, unless the address asks for others.
    const wanted = {
      threshold: Number(query.get('threshold') ?? message.settings.threshold),
      pooling: Number(query.get('pooling') ?? message.settings.pooling),
    };
    $('threshold').value = String(wanted.threshold);
    $('thresholdValue').textContent = wanted.threshold.toFixed(2);
    if (![...$('pooling').options].some((o) => o.value === String(wanted.pooling))) $('pooling').add(new Option(String(wanted.pooling)));
    $('pooling').value = String(wanted.pooling);
    if (wanted.threshold !== message.settings.threshold || wanted.pooling !== message.settings.pooling) sendSettings();
  } else if (message.type === 'error') {
    setStatus(`Server: ${message.message}`);
  } else if (message.type === 'layout') {
    state.layout = message;
  } else if (message.type === 'detections') {
    state.boxes = message.boxes;
    state.boxSpace = { width: message.width, height: message.height };
    const sentAt = state.inFlight.get(message.frame);
    state.detections++;
    if (sentAt !== undefined) {
      const latency = performance.now() - sentAt;
      state.answered++;
      state.latencies.push(latency);
      if (state.latencies.length > 60) state.latencies.shift();
      state.allLatencies.push(latency);
      if (state.allLatencies.length > KEPT_LATENCIES) state.allLatencies.shift();
      state.frameTimes.push(performance.now());
      // Frames older than the answered one will not be answered any more.
      for (const id of state.inFlight.keys()) if (id <= message.frame) state.inFlight.delete(id);
    }
    $('boxCount').textContent = String(message.boxes.length);
  } else if (message.type === 'stats') {
    state.serverStats = message;
  }
}

// SPKF frame: 48-byte header, optional name, t (u32 deltas or f64), then events x,y,p or spikes neuron.
function onBinary(buffer) {
  const view = new DataView(buffer);
  if (view.getUint32(0, true) !== 0x464b5053) return;
  const kind = view.getUint8(5), delta = view.getUint8(6) === 1, nameLength = view.getUint8(7);
  const n = view.getUint32(16, true);
  let o = 48 + Math.ceil(nameLength / 8) * 8 + n * (delta ? 4 : 8);
  if (kind === 1) {
    const width = view.getUint32(8, true), height = view.getUint32(12, true);
    const x = new Uint16Array(buffer, o, n), y = new Uint16Array(buffer, o + 2 * n, n), p = new Uint8Array(buffer, o + 4 * n, n);
    state.eventCount += n;
    state.pendingEvents = { width, height, x, y, p, n };
    scheduleDraw();
  } else if (kind === 2 && state.layout) {
    // Spike counts accumulate into the map's trace at once (cheap); drawing waits for the next animation frame.
    addSpikes(new Uint32Array(buffer, o, n), n);
    scheduleDraw();
  }
}

// Events are drawn at the size they are shown (320 px wide): a quarter of the pixels to fill, upload and
// composite at 640×480 processing, which is most of the page's own CPU time.
const EVENTS_VIEW_WIDTH = 320;
const eventsImage = { image: undefined, words: undefined };
function drawEvents(width, height, x, y, p, n) {
  const g = eventsCanvas.getContext('2d');
  const shift = width > EVENTS_VIEW_WIDTH ? Math.ceil(Math.log2(width / EVENTS_VIEW_WIDTH)) : 0;
  const w = Math.ceil(width / (1 << shift)), h = Math.ceil(height / (1 << shift));
  if (eventsImage.image?.width !== w || eventsImage.image?.height !== h) {
    eventsCanvas.width = w; eventsCanvas.height = h;
    eventsImage.image = g.createImageData(w, h);
    eventsImage.words = new Uint32Array(eventsImage.image.data.buffer);
  }
  // One reused image, cleared to opaque black a word per pixel (little-endian RGBA: alpha is the high byte).
  const words = eventsImage.words;
  words.fill(0xff000000);
  for (let i = 0; i < n; i++) words[(y[i] >> shift) * w + (x[i] >> shift)] = p[i] ? 0xff00ff00 : 0xffff00ff;
  g.putImageData(eventsImage.image, 0, 0);
}

const spikeTrace = { data: undefined, dirty: false };
function addSpikes(neurons, n) {
  const { cellsX, cellsY } = state.layout;
  if (!spikeTrace.data || spikeTrace.data.length !== cellsX * cellsY) spikeTrace.data = new Float32Array(cellsX * cellsY);
  const trace = spikeTrace.data;
  for (let i = 0; i < trace.length; i++) trace[i] *= 0.7;
  for (let i = 0; i < n; i++) if (neurons[i] < trace.length) trace[neurons[i]] += 1;
  spikeTrace.dirty = true;
}

function drawSpikes() {
  const { cellsX, cellsY } = state.layout;
  const trace = spikeTrace.data;
  spikesCanvas.width = cellsX; spikesCanvas.height = cellsY;
  const g = spikesCanvas.getContext('2d');
  const image = g.createImageData(cellsX, cellsY);
  for (let i = 0; i < trace.length; i++) {
    const v = Math.min(255, trace[i] * 120);
    image.data[i * 4] = v; image.data[i * 4 + 1] = v * 0.6; image.data[i * 4 + 2] = 0; image.data[i * 4 + 3] = 255;
  }
  g.putImageData(image, 0, 0);
}

// Message handlers only keep the latest data; drawing happens once per animation frame, so a burst of
// messages never delays the next detections message (the latency the page measures).
function drawStreams() {
  if (state.pendingEvents) {
    const e = state.pendingEvents;
    state.pendingEvents = undefined;
    drawEvents(e.width, e.height, e.x, e.y, e.p, e.n);
  }
  if (spikeTrace.dirty && state.layout) {
    spikeTrace.dirty = false;
    drawSpikes();
  }
}

// The camera is drawn at the size it is shown (320 px wide), not the camera's: a quarter of the pixels at 640×480.
const CAMERA_VIEW_WIDTH = 320;
function drawCamera() {
  if (video.videoWidth === 0) return;
  const w = CAMERA_VIEW_WIDTH;
  const h = Math.round((video.videoHeight * w) / video.videoWidth);
  if (cameraCanvas.width !== w || cameraCanvas.height !== h) { cameraCanvas.width = w; cameraCanvas.height = h; }
  const g = cameraCanvas.getContext('2d');
  g.drawImage(video, 0, 0, w, h);
  const sx = state.boxSpace ? w / state.boxSpace.width : 1;
  const sy = state.boxSpace ? h / state.boxSpace.height : 1;
  g.lineWidth = 2; g.strokeStyle = '#0f0'; g.fillStyle = '#0f0'; g.font = 'bold 13px sans-serif';
  for (const b of state.boxes) {
    g.strokeRect(b.x * sx, b.y * sy, b.w * sx, b.h * sy);
    g.fillText(`#${b.id}`, b.x * sx, b.y * sy - 3);
  }
}

let lastStats = { t: performance.now(), events: 0 };
function showStats() {
  const now = performance.now();
  const seconds = (now - lastStats.t) / 1000;
  $('eventsPerSecond').textContent = Math.round((state.eventCount - lastStats.events) / seconds).toLocaleString();
  lastStats = { t: now, events: state.eventCount };
  state.frameTimes = state.frameTimes.filter((t) => now - t < 2000);
  $('framesPerSecond').textContent = (state.frameTimes.length / 2).toFixed(1);
  $('droppedFrames').textContent = String(state.dropped + (state.serverStats?.droppedFrames ?? 0));
  const l = [...state.latencies].sort((a, b) => a - b);
  $('latency').textContent = l.length ? `${l[Math.floor(l.length / 2)].toFixed(1)} ms (median)` : '–';
  // For automated checks (the browser test reads these).
  window.spikeflowStats = {
    sent: state.sent, dropped: state.dropped, answered: state.answered, detections: state.detections,
    cameraFrames: state.cameraFrames,
    medianLatencyMs: l.length ? l[Math.floor(l.length / 2)] : undefined,
    framesPerSecond: state.frameTimes.length / 2, events: state.eventCount,
    camera: { width: video.videoWidth, height: video.videoHeight }, processingWidth: Number($('procWidth').value),
    // Every latency kept so far (ms, oldest first): the test and the benchmark take percentiles of a window.
    latenciesMs: state.allLatencies.slice(),
  };
}

$('threshold').addEventListener('input', () => { $('thresholdValue').textContent = Number($('threshold').value).toFixed(2); sendSettings(); });
$('pooling').addEventListener('change', sendSettings);
if (query.has('width')) {
  const width = query.get('width');
  if (![...$('procWidth').options].some((o) => o.value === width)) $('procWidth').add(new Option(width));
  $('procWidth').value = width;
}
start();
