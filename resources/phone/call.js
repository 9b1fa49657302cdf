// One emergency call: the three WebSockets to the console (/ws/signal, /ws/audio, /ws/vitals,
// see server/PROTOCOL.md), the call's state, and reconnection after a network blip. The signal
// socket goes first: the console answers call_initiated with the call's secret
// (`call_credential`), and the audio and vitals sockets open with it, so that they hear the
// dispatcher and can come back after a blip. A dropped connection is retried with exponential
// backoff under the SAME call id; on the signal socket `call_initiated` is sent again with the
// secret and the console re-attaches the phone to the live call (it never creates a second
// call) and repeats `dispatcher_ready` if the call was answered.

export const State = Object.freeze({
  Idle: 'idle',
  Connecting: 'connecting',
  Ringing: 'ringing',
  Connected: 'connected',
  OnHold: 'on_hold',
  Reconnecting: 'reconnecting',
  Ended: 'ended',
});

const MAX_PENDING_AUDIO_BYTES = 5 * 16000 * 2; // audio kept while the audio socket reconnects
const MAX_SOCKET_BACKLOG = 256 * 1024; // bytes queued in the browser before we hold back
const RESEND_HISTORY_BYTES = 5 * 16000 * 2; // audio kept after sending, to resend after a blip
const RESUME_WAIT_MS = 1000; // after an audio reconnect: wait this long for audio_received
const MAX_FRAME_BACKLOG = 512 * 1024; // camera frames are skipped above this
const HEARTBEAT_MS = 10000; // ping on the signal socket; no pong for 2.5x this: reconnect
const GIVE_UP_MS = 60000; // no signal connection for this long: the call is lost
const LOCATION_MIN_INTERVAL_MS = 2000;

export function newCallId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A WebSocket that comes back after it drops (backoff 0.5 s doubling to 8 s, with jitter)
// until it is closed for good. Events of replaced sockets are ignored.
class Channel {
  constructor(url, { binary = false, onOpen = () => {}, onMessage = () => {}, onDrop = () => {} }) {
    Object.assign(this, { url, binary, onOpen, onMessage, onDrop });
    this.ws = null;
    this.attempt = 0;
    this.timer = null;
    this.closed = false;
  }

  connect() {
    if (this.closed || this.ws) return;
    clearTimeout(this.timer);
    this.timer = null;
    const ws = new WebSocket(this.url);
    if (this.binary) ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      if (ws !== this.ws) return;
      this.attempt = 0;
      this.onOpen();
    };
    ws.onmessage = (event) => {
      if (ws === this.ws) this.onMessage(event.data);
    };
    ws.onclose = () => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.onDrop();
      this.retryLater();
    };
  }

  retryLater() {
    if (this.closed || this.timer) return;
    const delay = Math.min(8000, 500 * 2 ** this.attempt) * (0.8 + 0.4 * Math.random());
    this.attempt += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }

  retryNow() {
    if (!this.closed && !this.ws) this.connect();
  }

  // Drops a connection that looks dead (no pong) and reconnects.
  recycle() {
    const ws = this.ws;
    if (!ws) return;
    this.ws = null;
    ws.close();
    this.onDrop();
    this.retryLater();
  }

  get isOpen() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  get buffered() {
    return this.ws ? this.ws.bufferedAmount : 0;
  }

  send(data) {
    if (!this.isOpen) return false;
    this.ws.send(data);
    return true;
  }

  stopRetrying() {
    this.closed = true;
    clearTimeout(this.timer);
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close(1000);
  }
}

export class EmergencyCall {
  // handlers: onState(state, reason), onTalkBack(arrayBuffer), onProblem(errorMessage),
  //           log(...args)
  constructor({ origin = window.location, callId = newCallId(), ...handlers } = {}) {
    this.callId = callId;
    this.origin = origin;
    this.handlers = handlers;
    this.state = State.Idle;
    this.reason = null;
    this.answered = false;
    this.location = null;
    this.lastSentLocation = null;
    this.lastLocationSentAt = 0;
    this.locationTimer = null;
    this.pendingAudio = [];
    this.pendingAudioBytes = 0;
    this.droppedAudioBytes = 0;
    this.sentAudio = []; // the last RESEND_HISTORY_BYTES sent, oldest first
    this.sentAudioHistoryBytes = 0;
    this.sentAudioBytes = 0; // everything sent on this call
    this.resentAudioBytes = 0;
    this.audioOpened = false;
    this.awaitingResume = false;
    this.resumeTimer = null;
    this.pendingTexts = [];
    this.lastPong = 0;
    this.lastPing = 0;
    this.disconnectedSince = null;
    this.reconnects = 0;
    this.hangingUp = false;
    this.secret = null; // the call's secret, from call_credential
    this.onOnline = () => {
      this.signal.retryNow();
      if (this.secret) [this.audio, this.vitals].forEach((c) => c.retryNow());
    };
  }

  log(...args) {
    if (this.handlers.log) this.handlers.log(...args);
  }

  setState(state, reason = null) {
    if (this.state === State.Ended) return;
    if (state === this.state && reason === this.reason) return;
    this.state = state;
    this.reason = reason;
    this.log('state', state, reason || '');
    if (this.handlers.onState) this.handlers.onState(state, reason);
  }

  start() {
    const scheme = this.origin.protocol === 'https:' ? 'wss://' : 'ws://';
    const base = scheme + this.origin.host;
    const id = `call_id=${encodeURIComponent(this.callId)}`;
    this.signal = new Channel(`${base}/ws/signal?${id}&role=caller`, {
      onOpen: () => this.onSignalOpen(),
      onMessage: (data) => this.onSignalMessage(data),
      onDrop: () => this.onSignalDrop(),
    });
    this.audio = new Channel(`${base}/ws/audio?${id}`, {
      binary: true,
      onOpen: () => this.onAudioOpen(),
      onMessage: (data) => this.onAudioMessage(data),
    });
    this.vitals = new Channel(`${base}/ws/vitals?${id}`, {});
    this.setState(State.Connecting);
    this.disconnectedSince = Date.now();
    // Audio and vitals wait for the call's secret (captured audio waits in pendingAudio).
    this.signal.connect();
    this.ticker = setInterval(() => this.tick(), 1000);
    window.addEventListener('online', this.onOnline);
  }

  onSignalOpen() {
    const wasDisconnected = this.state === State.Reconnecting;
    this.lastPong = Date.now();
    this.disconnectedSince = null;
    const message = { type: 'call_initiated' };
    if (this.location) message.location = this.location;
    if (this.secret) message.call_secret = this.secret;
    this.signal.send(JSON.stringify(message));
    this.lastSentLocation = this.location;
    if (wasDisconnected) {
      this.reconnects += 1;
      this.log('reconnected', this.reconnects);
    }
    // Answered calls stay "reconnecting" until the console repeats dispatcher_ready.
    if (!this.answered) this.setState(State.Ringing);
    for (const text of this.pendingTexts.splice(0)) this.sendText(text);
  }

  onSignalMessage(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    switch (message.type) {
      case 'call_credential':
        if (this.secret || typeof message.call_secret !== 'string') break;
        this.secret = message.call_secret;
        for (const channel of [this.audio, this.vitals]) {
          channel.url += `&call_secret=${encodeURIComponent(this.secret)}`;
          channel.connect();
        }
        break;
      case 'dispatcher_ready':
        this.answered = true;
        this.setState(State.Connected);
        break;
      case 'call_state':
        if (message.state === 'on_hold') this.setState(State.OnHold);
        else if (message.state === 'answered') this.setState(State.Connected);
        break;
      case 'call_ended':
        this.finish(message.reason || 'unknown');
        break;
      case 'pong':
        this.lastPong = Date.now();
        break;
      case 'error':
        this.log('error from console', message.code, message.message);
        if (['call_id_in_use', 'too_many_calls', 'call_rate_limited'].includes(message.code)) {
          this.finish(message.code);
        } else if (['call_credential_required', 'bad_call_secret'].includes(message.code)) {
          this.finish('call_taken');
        } else if (this.handlers.onProblem) this.handlers.onProblem(message.message || message.code);
        break;
      default:
        break; // SDP/ICE relayed from a dispatcher: this page does not use WebRTC
    }
  }

  onSignalDrop() {
    if (this.state === State.Ended) return;
    this.log('signal connection dropped');
    if (this.disconnectedSince === null) this.disconnectedSince = Date.now();
    if (this.state !== State.Connecting) this.setState(State.Reconnecting);
  }

  // After a reconnect the console says how much of the call's audio it has (audio_received):
  // what went into the dead socket after that is sent again before anything newer.
  onAudioOpen() {
    if (this.audioOpened) {
      this.awaitingResume = true;
      clearTimeout(this.resumeTimer);
      this.resumeTimer = setTimeout(() => this.resumeAudio(null), RESUME_WAIT_MS);
    }
    this.audioOpened = true;
    this.flushAudio();
  }

  resumeAudio(receivedBytes) {
    if (!this.awaitingResume) return;
    this.awaitingResume = false;
    clearTimeout(this.resumeTimer);
    this.resumeTimer = null;
    let missing = receivedBytes === null ? 0 : this.sentAudioBytes - receivedBytes;
    if (missing > this.sentAudioHistoryBytes) missing = this.sentAudioHistoryBytes;
    if (missing > 0) {
      const resend = [];
      let need = missing;
      while (need > 0) {
        const chunk = this.sentAudio.pop();
        this.sentAudioHistoryBytes -= chunk.byteLength;
        if (chunk.byteLength > need) {
          resend.unshift(chunk.slice(chunk.byteLength - need));
          this.sentAudio.push(chunk.slice(0, chunk.byteLength - need));
          this.sentAudioHistoryBytes += chunk.byteLength - need;
          need = 0;
        } else {
          resend.unshift(chunk);
          need -= chunk.byteLength;
        }
      }
      this.sentAudioBytes -= missing;
      this.resentAudioBytes += missing;
      this.pendingAudio.unshift(...resend);
      this.pendingAudioBytes += missing;
      this.log('resending audio lost in the blip', missing);
    }
    this.flushAudio();
  }

  onAudioMessage(data) {
    if (data instanceof ArrayBuffer) {
      if (this.handlers.onTalkBack) this.handlers.onTalkBack(data);
      return;
    }
    try {
      const message = JSON.parse(data);
      if (message.type === 'error') this.log('audio channel error', message.code, message.message);
      if (message.type === 'audio_received' && Number.isFinite(message.bytes)) {
        this.resumeAudio(message.bytes);
      }
    } catch {
      // ignore
    }
  }

  tick() {
    const now = Date.now();
    if (this.signal.isOpen) {
      if (now - this.lastPong > 2.5 * HEARTBEAT_MS) {
        this.log('no answer from the console: reconnecting');
        this.signal.recycle();
        this.audio.recycle();
        this.vitals.recycle();
      } else if (now - this.lastPing >= HEARTBEAT_MS) {
        this.lastPing = now;
        this.signal.send('{"type":"ping"}');
      }
    }
    this.flushAudio();
    if (this.disconnectedSince !== null && now - this.disconnectedSince > GIVE_UP_MS) {
      this.finish('connection_lost');
    }
  }

  // 16 kHz s16le mono PCM from the microphone.
  sendAudio(arrayBuffer) {
    if (this.state === State.Ended) return;
    this.pendingAudio.push(arrayBuffer);
    this.pendingAudioBytes += arrayBuffer.byteLength;
    while (this.pendingAudioBytes > MAX_PENDING_AUDIO_BYTES) {
      const dropped = this.pendingAudio.shift();
      this.pendingAudioBytes -= dropped.byteLength;
      this.droppedAudioBytes += dropped.byteLength;
    }
    this.flushAudio();
  }

  flushAudio() {
    if (this.awaitingResume) return;
    while (this.pendingAudio.length > 0 && this.audio && this.audio.isOpen &&
           this.audio.buffered < MAX_SOCKET_BACKLOG) {
      const chunk = this.pendingAudio.shift();
      this.pendingAudioBytes -= chunk.byteLength;
      this.audio.send(chunk);
      this.sentAudio.push(chunk);
      this.sentAudioHistoryBytes += chunk.byteLength;
      this.sentAudioBytes += chunk.byteLength;
      while (this.sentAudioHistoryBytes - this.sentAudio[0].byteLength >= RESEND_HISTORY_BYTES) {
        this.sentAudioHistoryBytes -= this.sentAudio.shift().byteLength;
      }
    }
  }

  // A JPEG from the camera, sent as {"type":"frame","data":base64}; skipped when the link is slow.
  sendFrame(base64Jpeg) {
    if (this.state === State.Ended || !this.audio.isOpen) return false;
    if (this.audio.buffered > MAX_FRAME_BACKLOG) return false;
    return this.audio.send(JSON.stringify({ type: 'frame', data: base64Jpeg }));
  }

  // {lat, lng, accuracy?}: sent with call_initiated and as location_update when it changes.
  setLocation(location) {
    this.location = location;
    this.sendLocationSoon();
  }

  sendLocationSoon() {
    if (this.state === State.Ended || this.locationTimer) return;
    const wait = this.lastLocationSentAt + LOCATION_MIN_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.locationTimer = setTimeout(() => {
        this.locationTimer = null;
        this.sendLocationSoon();
      }, wait);
      return;
    }
    const l = this.location;
    const last = this.lastSentLocation;
    const changed = !last || l.lat !== last.lat || l.lng !== last.lng || l.accuracy !== last.accuracy;
    if (!changed || !this.signal || !this.signal.isOpen || this.disconnectedSince !== null) return;
    if (this.signal.send(JSON.stringify({ type: 'location_update', location: l }))) {
      this.lastSentLocation = l;
      this.lastLocationSentAt = Date.now();
    }
  }

  // A typed message for a caller who cannot speak. Queued while the connection is down.
  sendText(text) {
    if (this.state === State.Ended || !text) return false;
    const trimmed = String(text).slice(0, 2000);
    if (this.signal.isOpen && this.disconnectedSince === null) {
      this.signal.send(JSON.stringify({ type: 'caller_text', text: trimmed }));
    } else if (this.pendingTexts.length < 20) {
      this.pendingTexts.push(trimmed);
    } else {
      return false;
    }
    return true;
  }

  // The caller hangs up. `beforeHangUp` is awaited first (e.g. to flush the microphone), then the
  // last audio is given up to 1.5 s to leave the phone before call_ended goes out.
  async hangUp(beforeHangUp) {
    if (this.state === State.Ended || this.hangingUp) return;
    this.hangingUp = true;
    if (beforeHangUp) await beforeHangUp();
    const deadline = Date.now() + 1500;
    this.flushAudio();
    while ((this.pendingAudio.length > 0 || this.audio.buffered > 0) && this.audio.isOpen &&
           Date.now() < deadline) {
      await sleep(50);
      this.flushAudio();
    }
    const sent = this.signal.send(JSON.stringify({ type: 'call_ended' }));
    this.log('hung up; audio not delivered:', this.pendingAudioBytes + this.droppedAudioBytes, 'bytes');
    this.finish(this.answered ? 'caller_hung_up' : 'abandoned', { waitForConsole: sent });
  }

  finish(reason, { waitForConsole = false } = {}) {
    clearInterval(this.ticker);
    clearTimeout(this.locationTimer);
    window.removeEventListener('online', this.onOnline);
    this.setState(State.Ended, reason);
    const channels = [this.signal, this.audio, this.vitals].filter((c) => c);
    channels.forEach((c) => c.stopRetrying());
    const closeAll = () => channels.forEach((c) => c.close());
    // After our call_ended the console answers with its own; the sockets close after that.
    if (waitForConsole) setTimeout(closeAll, 3000);
    else closeAll();
  }
}

// A caller in distress taps hard and often. The call button becomes "Hang up" in the same place
// once the call starts, so a double tap on "Call" would end the call it just placed. Hanging up
// therefore takes two taps: the first arms it ("Tap again to hang up") for a few seconds, the
// second within that time hangs up; a tap in the first moments of a call only arms it.

export class HangUpGuard {
  constructor(confirmMs = 3000, now = () => Date.now()) {
    this.confirmMs = confirmMs;
    this.now = now;
    this.armedUntil = 0;
  }

  // A tap on "Hang up": 'hang_up' when it confirms an armed tap, else 'armed'.
  press() {
    const t = this.now();
    if (t < this.armedUntil) {
      this.armedUntil = 0;
      return 'hang_up';
    }
    this.armedUntil = t + this.confirmMs;
    return 'armed';
  }

  armed() {
    return this.now() < this.armedUntil;
  }

  reset() {
    this.armedUntil = 0;
  }
}
