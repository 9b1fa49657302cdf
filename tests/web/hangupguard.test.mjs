// Unit test of the phone page's two-tap hang-up (HangUpGuard in resources/phone/call.js): a double tap
// on "Call" must not end the call it placed, and a deliberate second tap does hang up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';

const source = readFileSync(new URL('../../resources/phone/call.js', import.meta.url));
const { HangUpGuard } = await import(
  `data:text/javascript,${encodeURIComponent(source.toString())}`);

function clockAt(start) {
  const clock = { t: start };
  return { clock, now: () => clock.t };
}

test('one tap only arms the hang-up', () => {
  const { now } = clockAt(1000);
  const guard = new HangUpGuard(3000, now);
  assert.equal(guard.press(), 'armed');
  assert.equal(guard.armed(), true);
});

test('a second tap within the window hangs up', () => {
  const { clock, now } = clockAt(1000);
  const guard = new HangUpGuard(3000, now);
  guard.press();
  clock.t += 2999;
  assert.equal(guard.press(), 'hang_up');
  assert.equal(guard.armed(), false);
});

test('a second tap after the window arms again instead', () => {
  const { clock, now } = clockAt(1000);
  const guard = new HangUpGuard(3000, now);
  guard.press();
  clock.t += 3000;
  assert.equal(guard.armed(), false);
  assert.equal(guard.press(), 'armed');
});

test('reset (the call ended or restarted) disarms', () => {
  const { now } = clockAt(1000);
  const guard = new HangUpGuard(3000, now);
  guard.press();
  guard.reset();
  assert.equal(guard.press(), 'armed');
});
