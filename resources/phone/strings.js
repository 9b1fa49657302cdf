// Every text the phone page shows, in one place so that it can be translated.
// To add a language: copy the "en" block under its language code (e.g. "de"), translate the
// values, keep the keys and the {placeholders}. The page picks the browser's language.

export const STRINGS = {
  en: {
    pageTitle: 'Emergency call',
    heading: 'Emergency call',
    intro: 'Tap the button to reach the emergency dispatcher. Keep this page open during the call.',
    callButton: 'Call emergency services',
    hangUpButton: 'Hang up',
    hangUpConfirm: 'Tap again to hang up',
    callAgainButton: 'Call again',

    stateIdle: 'Ready to call',
    stateConnecting: 'Connecting…',
    stateRinging: 'Calling – waiting for a dispatcher…',
    stateConnected: 'Connected – a dispatcher is with you',
    stateOnHold: 'On hold – please stay on the line',
    stateReconnecting: 'Connection lost – reconnecting…',
    stateEnded: 'Call ended',

    reason_caller_hung_up: 'You hung up.',
    reason_abandoned: 'You hung up before a dispatcher answered.',
    reason_dispatcher_ended: 'The dispatcher ended the call.',
    reason_caller_lost: 'The connection was lost for too long.',
    reason_admin_terminated: 'The control room ended the call.',
    reason_server_shutdown: 'The control room system shut down.',
    reason_connection_lost: 'Could not reconnect. If you still need help, call again.',
    reason_call_id_in_use: 'This call has already ended.',
    reason_too_many_calls:
      'The control room is not taking more calls from your network right now. Dial the emergency number.',
    reason_call_rate_limited:
      'Too many calls from your network. Dial the emergency number, or try again in a minute.',
    reason_call_taken: 'This call could not be reconnected. If you still need help, call again.',
    reason_unknown: 'The call ended.',

    micOn: 'Microphone on – speak normally.',
    micUnavailable: 'Microphone not available ({error}). Type your messages below.',

    locationLabel: 'Your location',
    locationValue: '{lat}, {lng} (within {accuracy} m)',
    locationValueNoAccuracy: '{lat}, {lng}',
    locationWaiting: 'Finding your location…',
    locationUnavailable: 'Location not available ({error}). Tell the dispatcher where you are.',

    cameraStart: 'Share camera',
    cameraStop: 'Stop camera',
    cameraUnavailable: 'Camera not available ({error}).',
    cameraPreviewLabel: 'What the dispatcher sees',

    textLabel: 'Cannot speak? Type a message to the dispatcher',
    textSend: 'Send',
    textSent: 'You: {text}',
    textNotSent: 'Not sent – no connection yet. Try again.',

    unsupported: 'This browser cannot place the call ({what} missing). Dial the emergency number.',
    insecure: 'Open this page over https so that the microphone can be used.',
    serverProblem: 'Problem reported by the control room: {message}',
  },
};

let current = STRINGS.en;

// Chooses the first of the browser's languages that has strings, else English.
export function chooseLanguage(preferred) {
  for (const tag of preferred || []) {
    const code = String(tag).toLowerCase().split('-')[0];
    if (STRINGS[code]) {
      current = STRINGS[code];
      return code;
    }
  }
  current = STRINGS.en;
  return 'en';
}

// The text for `key`, with {name} placeholders filled from `vars`.
export function t(key, vars = {}) {
  const text = current[key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match));
}
