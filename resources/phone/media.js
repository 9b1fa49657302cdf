// Microphone capture, talk-back playback and camera frames for the phone page.

const WIRE_RATE = 16000; // /ws/audio: 16 kHz signed 16-bit little-endian mono, both ways

// Streams the microphone as 16 kHz PCM chunks through an AudioWorklet. prepare() loads the
// worklet before getUserMedia is called (start()): in that order the first words are not lost.
export class Microphone {
  constructor(context, onChunk, { chunkMs = 40 } = {}) {
    this.context = context;
    this.onChunk = onChunk;
    this.chunkMs = chunkMs;
    this.node = null;
    this.source = null;
    this.stream = null;
  }

  async prepare() {
    await this.context.audioWorklet.addModule(new URL('capture-worklet.js', import.meta.url));
    this.node = new AudioWorkletNode(this.context, 'pcm-capture', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      processorOptions: { outputRate: WIRE_RATE, chunkMs: this.chunkMs },
    });
    this.node.port.onmessage = (event) => this.onChunk(event.data);
    // Some browsers only run a worklet that leads to the destination: connect it, silenced.
    const mute = this.context.createGain();
    mute.gain.value = 0;
    this.node.connect(mute).connect(this.context.destination);
  }

  // raw: no echo cancellation, noise suppression or gain control (tests compare samples).
  async start({ raw = false } = {}) {
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        channelCount: 1,
        echoCancellation: !raw, // the dispatcher's voice comes out of the same phone
        noiseSuppression: false, // background sounds matter to the dispatcher
        autoGainControl: !raw,
      },
    });
    this.source = this.context.createMediaStreamSource(this.stream);
    this.source.connect(this.node);
  }

  // Sends what is buffered in the worklet now (before hanging up).
  flush() {
    if (this.node) this.node.port.postMessage('flush');
  }

  stop() {
    if (this.source) this.source.disconnect();
    if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
    this.source = null;
    this.stream = null;
  }
}

// Plays the dispatcher's talk-back (16 kHz PCM chunks) back to back, without gaps, with a small
// jitter margin; drops audio that would play more than `maxLatency` seconds late.
export class TalkBackPlayer {
  constructor(context, { margin = 0.12, maxLatency = 1.0 } = {}) {
    this.context = context;
    this.margin = margin;
    this.maxLatency = maxLatency;
    this.nextStart = 0;
    this.output = context.createGain();
    this.output.connect(context.destination);
    this.samplesPlayed = 0;
  }

  play(arrayBuffer) {
    const count = arrayBuffer.byteLength >> 1;
    if (count === 0) return false;
    const view = new DataView(arrayBuffer);
    const buffer = this.context.createBuffer(1, count, WIRE_RATE);
    const samples = buffer.getChannelData(0);
    for (let i = 0; i < count; i++) samples[i] = view.getInt16(2 * i, true) / 32768;
    const now = this.context.currentTime;
    if (this.nextStart < now + 0.02) this.nextStart = now + this.margin; // starting or underrun
    if (this.nextStart - now > this.maxLatency) return false; // too far behind: drop
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.output);
    source.start(this.nextStart);
    this.nextStart += buffer.duration;
    this.samplesPlayed += count;
    return true;
  }
}

// Sends one JPEG a second from the camera, scaled to at most `maxSide` pixels.
export class Camera {
  constructor(video, onFrame, { maxSide = 768, intervalMs = 1000, quality = 0.7 } = {}) {
    this.video = video;
    this.onFrame = onFrame;
    this.maxSide = maxSide;
    this.intervalMs = intervalMs;
    this.quality = quality;
    this.stream = null;
    this.timer = null;
    this.canvas = document.createElement('canvas');
    this.busy = false;
  }

  get active() {
    return this.stream !== null;
  }

  async start() {
    this.stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } },
    });
    this.video.srcObject = this.stream;
    this.video.hidden = false;
    await this.video.play().catch(() => {});
    this.timer = setInterval(() => this.capture(), this.intervalMs);
  }

  capture() {
    const { videoWidth: w, videoHeight: h } = this.video;
    if (this.busy || !w || !h) return;
    const scale = Math.min(1, this.maxSide / Math.max(w, h));
    this.canvas.width = Math.round(w * scale);
    this.canvas.height = Math.round(h * scale);
    this.canvas.getContext('2d').drawImage(this.video, 0, 0, this.canvas.width, this.canvas.height);
    this.busy = true;
    this.canvas.toBlob(
      async (blob) => {
        try {
          if (blob) this.onFrame(await blob.arrayBuffer());
        } finally {
          this.busy = false;
        }
      },
      'image/jpeg',
      this.quality,
    );
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.video.srcObject = null;
    this.video.hidden = true;
  }
}

// Base64 of binary data, in slices so that large frames do not overflow the call stack.
export function toBase64(arrayBuffer) {
  const bytes = new Uint8Array(arrayBuffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
