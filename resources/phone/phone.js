// The caller's page: one tap places the call. Wires the page to the call (call.js) and to the
// microphone, talk-back, camera and location (media.js). Texts come from strings.js.
//
// Query options, honoured only when the console runs with --phone-page-test-options
// (testing.js says so): a link must not place a call, send text or share a camera for the
// person who opens it. For automated tests; a caller never needs them.
//   autostart=1        place the call on load (headless browsers cannot tap)
//   lat, lng, acc      a first position, used as if the phone's GPS had reported it
//   hangup_after=S     hang up after S seconds of microphone audio have been sent
//   camera=1           share the camera from the start
//   text=...           send this typed message once the call is placed
//   raw=1              no echo cancellation or gain control (tests compare the samples)

import { EmergencyCall, HangUpGuard, State } from './call.js';
import { Camera, Microphone, TalkBackPlayer, toBase64 } from './media.js';
import { chooseLanguage, t } from './strings.js';
import { TEST_OPTIONS } from './testing.js';

const params = new URLSearchParams(TEST_OPTIONS ? window.location.search : '');
const number = (name) => {
  const v = Number.parseFloat(params.get(name) ?? '');
  return Number.isFinite(v) ? v : null;
};
const options = {
  autostart: params.get('autostart') === '1',
  lat: number('lat'),
  lng: number('lng'),
  acc: number('acc'),
  hangupAfter: number('hangup_after'),
  camera: params.get('camera') === '1',
  text: params.get('text'),
  raw: params.get('raw') === '1',
};

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('status'),
  stateText: $('state-text'),
  stateDetail: $('state-detail'),
  call: $('call'),
  location: $('location'),
  camera: $('camera'),
  preview: $('preview'),
  textForm: $('text-form'),
  textInput: $('text-input'),
  textSend: $('text-send'),
  textLog: $('text-log'),
  mic: $('mic'),
  notice: $('notice'),
};

const log = (...args) => console.log('[phone]', ...args);

let call = null;
const hangUpGuard = new HangUpGuard();
let context = null;
let microphone = null;
let player = null;
let camera = null;
let geoWatch = null;
let wakeLock = null;
let samplesSent = 0;

const STATE_TEXT = {
  [State.Idle]: 'stateIdle',
  [State.Connecting]: 'stateConnecting',
  [State.Ringing]: 'stateRinging',
  [State.Connected]: 'stateConnected',
  [State.OnHold]: 'stateOnHold',
  [State.Reconnecting]: 'stateReconnecting',
  [State.Ended]: 'stateEnded',
};

function applyStrings() {
  document.documentElement.lang = chooseLanguage(navigator.languages || [navigator.language]);
  document.title = t('pageTitle');
  for (const element of document.querySelectorAll('[data-text]')) {
    element.textContent = t(element.dataset.text);
  }
  ui.preview.setAttribute('aria-label', t('cameraPreviewLabel'));
}

function inCall() {
  return call !== null && call.state !== State.Ended;
}

function render(state = call ? call.state : State.Idle, reason = call ? call.reason : null) {
  ui.status.dataset.state = state;
  ui.stateText.textContent = t(STATE_TEXT[state]);
  ui.stateDetail.textContent = state === State.Ended ? t(`reason_${reason || 'unknown'}`) : '';
  const active = state !== State.Idle && state !== State.Ended;
  if (!active) hangUpGuard.reset();
  const hangUpText = hangUpGuard.armed() ? 'hangUpConfirm' : 'hangUpButton';
  ui.call.textContent = t(active ? hangUpText : state === State.Ended ? 'callAgainButton' : 'callButton');
  ui.call.className = `big ${active ? 'hangup' : 'call'}`;
  ui.camera.hidden = !active;
  ui.camera.textContent = t(camera && camera.active ? 'cameraStop' : 'cameraStart');
  ui.textInput.disabled = !active;
  ui.textSend.disabled = !active;
}

function onState(state, reason) {
  render(state, reason);
  if (state === State.Ended) releaseDevices();
}

function showLocation(location) {
  if (!location) return;
  const lat = location.lat.toFixed(5);
  const lng = location.lng.toFixed(5);
  ui.location.textContent = location.accuracy !== undefined
    ? t('locationValue', { lat, lng, accuracy: Math.round(location.accuracy) })
    : t('locationValueNoAccuracy', { lat, lng });
}

function onPosition(position) {
  const c = position.coords;
  const location = { lat: c.latitude, lng: c.longitude };
  if (Number.isFinite(c.accuracy)) location.accuracy = c.accuracy;
  showLocation(location);
  if (call) call.setLocation(location);
}

function startLocation() {
  if (options.lat !== null && options.lng !== null) {
    onPosition({ coords: { latitude: options.lat, longitude: options.lng, accuracy: options.acc ?? NaN } });
  } else {
    ui.location.textContent = t('locationWaiting');
  }
  if (!('geolocation' in navigator)) {
    if (options.lat === null) ui.location.textContent = t('locationUnavailable', { error: 'no GPS' });
    return;
  }
  geoWatch = navigator.geolocation.watchPosition(
    onPosition,
    (error) => {
      log('location error', error.code, error.message);
      if (!call || !call.location) {
        ui.location.textContent = t('locationUnavailable', { error: error.message || error.code });
      }
    },
    { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 },
  );
}

async function startMicrophone() {
  if (!window.isSecureContext) throw new Error(t('insecure'));
  if (!window.AudioWorkletNode || !context.audioWorklet) throw new Error('AudioWorklet');
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw new Error('getUserMedia');
  microphone = new Microphone(context, (chunk) => {
    if (!inCall()) return;
    call.sendAudio(chunk);
    samplesSent += chunk.byteLength / 2;
    if (options.hangupAfter !== null && samplesSent >= options.hangupAfter * 16000) hangUp();
  });
  // The worklet is ready before the microphone opens, so no first words are lost.
  await microphone.prepare();
  await microphone.start({ raw: options.raw });
  log('microphone on at', context.sampleRate, 'Hz');
}

async function toggleCamera() {
  if (camera && camera.active) {
    camera.stop();
    render();
    return;
  }
  camera = new Camera(ui.preview, (jpeg) => {
    if (inCall() && call.sendFrame(toBase64(jpeg))) log('frame sent', jpeg.byteLength, 'bytes');
  });
  try {
    await camera.start();
  } catch (error) {
    ui.notice.textContent = t('cameraUnavailable', { error: error.message || error.name });
  }
  render();
}

async function requestWakeLock() {
  try {
    if (navigator.wakeLock) wakeLock = await navigator.wakeLock.request('screen');
  } catch {
    wakeLock = null; // optional: the call works without it
  }
}

function releaseDevices() {
  if (microphone) microphone.stop();
  if (camera) camera.stop();
  if (geoWatch !== null) navigator.geolocation.clearWatch(geoWatch);
  geoWatch = null;
  if (wakeLock) wakeLock.release().catch(() => {});
  wakeLock = null;
  const ending = context;
  context = null;
  if (ending) setTimeout(() => ending.close().catch(() => {}), 500);
  render();
}

async function startCall() {
  if (inCall()) return;
  ui.notice.textContent = '';
  ui.mic.textContent = '';
  ui.textLog.replaceChildren();
  samplesSent = 0;
  if (!('WebSocket' in window)) {
    ui.notice.textContent = t('unsupported', { what: 'WebSocket' });
    return;
  }
  // Created inside the tap: phones only allow audio to start from a user gesture.
  const AudioContextClass = window.AudioContext || window.webkitAudioContext;
  context = AudioContextClass ? new AudioContextClass({ latencyHint: 'interactive' }) : null;
  if (context) context.resume().catch(() => {});
  player = context ? new TalkBackPlayer(context) : null;

  call = new EmergencyCall({
    onState,
    log,
    onTalkBack: (pcm) => {
      if (player && player.play(pcm)) log('talk-back', pcm.byteLength, 'bytes');
    },
    onProblem: (message) => {
      ui.notice.textContent = t('serverProblem', { message });
    },
  });
  log('call id', call.callId);
  startLocation(); // a position known now goes out with call_initiated
  call.start();
  requestWakeLock();
  if (options.text) sendText(options.text);
  if (options.camera) toggleCamera();

  try {
    if (!context) throw new Error('AudioContext');
    await startMicrophone();
    ui.mic.textContent = t('micOn');
  } catch (error) {
    log('microphone unavailable', error.name, error.message);
    ui.mic.textContent = t('micUnavailable', { error: error.message || error.name });
  }
}

async function hangUp() {
  if (!inCall()) return;
  await call.hangUp(async () => {
    if (microphone) microphone.flush();
    await new Promise((resolve) => setTimeout(resolve, 60)); // the worklet answers within ms
  });
}

function sendText(text) {
  const entry = document.createElement('li');
  const sent = call && call.sendText(text);
  entry.textContent = sent ? t('textSent', { text }) : t('textNotSent');
  ui.textLog.append(entry);
  return sent;
}

ui.call.addEventListener('click', () => {
  if (!inCall()) return startCall();
  if (hangUpGuard.press() === 'hang_up') return hangUp();
  render(); // "Tap again to hang up", back to "Hang up" when the window passes
  setTimeout(() => render(), hangUpGuard.confirmMs + 50);
  return undefined;
});
ui.camera.addEventListener('click', () => toggleCamera());
ui.textForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = ui.textInput.value.trim();
  if (text && sendText(text)) ui.textInput.value = '';
});

applyStrings();
render(State.Idle, null);
if (options.autostart) startCall();
