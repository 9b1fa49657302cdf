// AudioWorklet module: turns the microphone into 16 kHz signed 16-bit little-endian mono PCM
// chunks for /ws/audio. The AudioContext runs at whatever rate the device uses (44.1 or 48 kHz
// on most phones), so the audio is low-pass filtered and resampled here.

// Band-limited resampler: windowed-sinc interpolation (Blackman window). The cut-off sits below
// the lower of the two Nyquist frequencies, so downsampling does not alias.
export class Resampler {
  constructor(inputRate, outputRate, zeroCrossings = 16) {
    this.step = inputRate / outputRate; // input samples per output sample
    this.passThrough = inputRate === outputRate;
    // Cut-off in cycles per input sample: 85 % of the lower Nyquist frequency.
    const cutoff = 0.5 * 0.85 * Math.min(1, outputRate / inputRate);
    this.half = Math.ceil(zeroCrossings / (2 * cutoff)); // kernel half-width, input samples
    this.resolution = 128; // kernel table entries per input sample
    this.table = new Float32Array(this.half * this.resolution + 2);
    for (let i = 0; i < this.table.length; i++) {
      const d = i / this.resolution;
      if (d >= this.half) continue;
      const x = 2 * cutoff * d;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const w = 0.42 + 0.5 * Math.cos((Math.PI * d) / this.half) +
          0.08 * Math.cos((2 * Math.PI * d) / this.half);
      this.table[i] = 2 * cutoff * sinc * w;
    }
    // Pending input; starts with `half` samples of silence as history.
    this.buffer = new Float32Array(8192);
    this.length = this.half;
    this.position = this.half; // buffer position of the next output sample
  }

  kernel(distance) {
    const f = distance * this.resolution;
    const i = Math.floor(f);
    if (i + 1 >= this.table.length) return 0;
    const a = this.table[i];
    return a + (this.table[i + 1] - a) * (f - i);
  }

  // Feeds input samples; calls emit(sample) for every output sample that is ready.
  process(input, emit) {
    if (this.passThrough) {
      for (let i = 0; i < input.length; i++) emit(input[i]);
      return;
    }
    if (this.length + input.length > this.buffer.length) {
      const bigger = new Float32Array(2 * (this.length + input.length));
      bigger.set(this.buffer.subarray(0, this.length));
      this.buffer = bigger;
    }
    this.buffer.set(input, this.length);
    this.length += input.length;
    const half = this.half;
    while (Math.floor(this.position) + half < this.length) {
      const centre = Math.floor(this.position);
      const frac = this.position - centre;
      let sum = 0;
      for (let k = 1 - half; k <= half; k++) {
        sum += this.buffer[centre + k] * this.kernel(Math.abs(k - frac));
      }
      emit(sum);
      this.position += this.step;
    }
    const drop = Math.floor(this.position) - half;
    if (drop > 0) {
      this.buffer.copyWithin(0, drop, this.length);
      this.length -= drop;
      this.position -= drop;
    }
  }
}

// Float samples (-1..1) to signed 16-bit, clamped.
export function toInt16(value) {
  const v = Math.max(-1, Math.min(1, value));
  return Math.round(v < 0 ? v * 32768 : v * 32767);
}

if (typeof registerProcessor === 'function') {
  class PcmCapture extends AudioWorkletProcessor {
    constructor(options) {
      super();
      const o = (options && options.processorOptions) || {};
      const outputRate = o.outputRate || 16000;
      this.resampler = new Resampler(sampleRate, outputRate);
      this.samplesPerChunk = Math.round((outputRate * (o.chunkMs || 40)) / 1000);
      this.chunk = new Int16Array(this.samplesPerChunk);
      this.fill = 0;
      this.mix = null;
      this.emit = (value) => {
        this.chunk[this.fill++] = toInt16(value);
        if (this.fill === this.samplesPerChunk) this.send();
      };
      this.port.onmessage = (event) => {
        if (event.data === 'flush' && this.fill > 0) this.send();
      };
    }

    send() {
      const full = this.fill === this.samplesPerChunk ? this.chunk : this.chunk.slice(0, this.fill);
      this.port.postMessage(full.buffer, [full.buffer]);
      this.chunk = new Int16Array(this.samplesPerChunk);
      this.fill = 0;
    }

    process(inputs) {
      const input = inputs[0];
      if (input && input.length > 0) {
        let mono = input[0];
        if (input.length > 1) {
          if (!this.mix || this.mix.length !== mono.length) this.mix = new Float32Array(mono.length);
          for (let i = 0; i < mono.length; i++) {
            let s = 0;
            for (let c = 0; c < input.length; c++) s += input[c][i];
            this.mix[i] = s / input.length;
          }
          mono = this.mix;
        }
        this.resampler.process(mono, this.emit);
      }
      return true;
    }
  }
  registerProcessor('pcm-capture', PcmCapture);
}
