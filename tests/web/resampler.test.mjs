// Unit test of the phone page's resampler (resources/phone/capture-worklet.js), run with node.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';

// Loaded as an ES module whatever the node version thinks of a plain .js file.
const source = readFileSync(new URL('../../resources/phone/capture-worklet.js', import.meta.url));
const { Resampler, toInt16 } = await import(
  `data:text/javascript,${encodeURIComponent(source.toString())}`);

function tone(rate, hz, seconds, amplitude = 0.5) {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / rate);
  return out;
}

// Runs input through a resampler in blocks of 128 samples, as an AudioWorklet would.
function resample(input, from, to) {
  const r = new Resampler(from, to);
  const out = [];
  for (let i = 0; i < input.length; i += 128) r.process(input.subarray(i, i + 128), (v) => out.push(v));
  return Float64Array.from(out);
}

function rms(values, from = 0) {
  let s = 0;
  for (let i = from; i < values.length; i++) s += values[i] * values[i];
  return Math.sqrt(s / (values.length - from));
}

// Amplitude of one frequency in a signal (single-bin DFT).
function amplitudeAt(values, rate, hz, from) {
  let re = 0;
  let im = 0;
  const n = values.length - from;
  for (let i = from; i < values.length; i++) {
    re += values[i] * Math.cos((2 * Math.PI * hz * i) / rate);
    im += values[i] * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / n;
}

for (const rate of [48000, 44100, 22050, 16000]) {
  test(`${rate} Hz to 16 kHz keeps a 1 kHz tone`, () => {
    const out = resample(tone(rate, 1000, 1), rate, 16000);
    assert.ok(Math.abs(out.length - 16000) <= 60, `output length ${out.length}`);
    const settled = 200; // skip the filter's start-up
    const a = amplitudeAt(out, 16000, 1000, settled);
    assert.ok(Math.abs(a - 0.5) < 0.01, `1 kHz amplitude ${a}`);
    // Nothing but the tone: the residual after removing it is tiny.
    const expected = new Float64Array(out.length);
    let best = Infinity;
    for (let lag = -0.5; lag <= 60; lag += 0.25) {
      for (let i = 0; i < out.length; i++)
        expected[i] = out[i] - 0.5 * Math.sin((2 * Math.PI * 1000 * (i - lag)) / 16000);
      best = Math.min(best, rms(expected.subarray(settled, out.length - 100)));
    }
    assert.ok(best < 0.01, `residual ${best}`);
  });
}

for (const rate of [48000, 44100]) {
  test(`${rate} Hz to 16 kHz removes tones above 8 kHz instead of aliasing them`, () => {
    for (const hz of [8500, 10000, 15000]) {
      const out = resample(tone(rate, hz, 1), rate, 16000);
      const level = rms(out, 200) / (0.5 / Math.SQRT2);
      assert.ok(level < 0.01, `${hz} Hz leaks at ${(20 * Math.log10(level)).toFixed(1)} dB`);
    }
  });
}

test('speech band passes flat', () => {
  for (const hz of [100, 300, 3400, 6000]) {
    const out = resample(tone(48000, hz, 1), 48000, 16000);
    const a = amplitudeAt(out, 16000, hz, 400);
    assert.ok(Math.abs(a - 0.5) < 0.02, `${hz} Hz amplitude ${a}`);
  }
});

test('int16 conversion clamps', () => {
  assert.equal(toInt16(0), 0);
  assert.equal(toInt16(1), 32767);
  assert.equal(toInt16(-1), -32768);
  assert.equal(toInt16(2), 32767);
  assert.equal(toInt16(-2), -32768);
});
