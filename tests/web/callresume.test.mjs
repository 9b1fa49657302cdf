// Unit test of the phone page's resend after a network blip (resources/phone/call.js): after an
// audio reconnect the page waits for audio_received {bytes} and resends from that byte, before
// anything newer, so what a dead socket swallowed is neither lost nor sent twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';

const source = readFileSync(new URL('../../resources/phone/call.js', import.meta.url));
const { EmergencyCall } = await import(
  `data:text/javascript,${encodeURIComponent(source.toString())}`);

// 20 ms chunks whose bytes count up, so that the stream's byte offsets can be checked.
function chunk(index) {
  const bytes = new Uint8Array(640);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (index * 640 + i) % 251;
  return bytes.buffer;
}

function fakeChannel() {
  return {
    isOpen: true,
    buffered: 0,
    sent: [],
    send(data) {
      this.sent.push(data);
      return true;
    },
  };
}

function bytesOf(buffers) {
  return Buffer.concat(buffers.map((b) => Buffer.from(b)));
}

function newCall() {
  const call = new EmergencyCall({ origin: { protocol: 'http:', host: 'x' }, callId: 'c' });
  call.state = 'connected';
  call.audio = fakeChannel();
  call.onAudioOpen(); // the first connection
  return call;
}

test('resends from the byte the console reports, before newer audio', () => {
  const call = newCall();
  for (let i = 0; i < 10; i++) call.sendAudio(chunk(i));
  const all = bytesOf(call.audio.sent);
  // The blip: the console got 7 chunks and a half; the rest died with the socket.
  call.audio = fakeChannel();
  call.onAudioOpen();
  call.sendAudio(chunk(10)); // recorded while waiting for audio_received: held back
  assert.equal(call.audio.sent.length, 0);
  const received = 7 * 640 + 320;
  call.onAudioMessage(JSON.stringify({ type: 'audio_received', call_id: 'c', bytes: received }));
  const after = bytesOf(call.audio.sent);
  const expected = Buffer.concat([all.subarray(received), Buffer.from(chunk(10))]);
  assert.deepEqual(after, expected);
  assert.equal(call.sentAudioBytes, 11 * 640);
  assert.equal(call.resentAudioBytes, 10 * 640 - received);
});

test('nothing lost: nothing resent; no message within a second: carries on', async () => {
  const call = newCall();
  for (let i = 0; i < 3; i++) call.sendAudio(chunk(i));
  call.audio = fakeChannel();
  call.onAudioOpen();
  call.onAudioMessage(JSON.stringify({ type: 'audio_received', bytes: 3 * 640 }));
  assert.equal(call.audio.sent.length, 0);
  call.sendAudio(chunk(3));
  assert.equal(call.audio.sent.length, 1);

  call.audio = fakeChannel();
  call.onAudioOpen(); // an old console: never says audio_received
  call.sendAudio(chunk(4));
  assert.equal(call.audio.sent.length, 0);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.equal(call.audio.sent.length, 1);
  // A late or unsolicited message changes nothing.
  call.onAudioMessage(JSON.stringify({ type: 'audio_received', bytes: 0 }));
  assert.equal(call.audio.sent.length, 1);
});
