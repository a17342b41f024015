// The connection's state in the status line: nothing while connected, a
// countdown to the next try while reconnecting (each second, with Try now),
// and for a chat another tab took over, Use here.

import { strings, format } from './strings.js';
import * as view from './view.js';

const COUNTDOWN_TICK_MS = 1000;
let countdown = 0;

// actions: retryNow(), useHere().
export function showConnection(connState, retryInMs, { retryNow, useHere }) {
  clearInterval(countdown);
  view.setConnection(connState);
  if (connState === 'connected') {
    view.clearStatus('connection');
  } else if (connState === 'reconnecting' && retryInMs !== undefined) {
    showRetryCountdown(Date.now() + retryInMs, retryNow);
  } else if (connState === 'replaced') {
    // Another tab has this chat now: this one cannot write until it takes it back.
    view.setComposerBlocked(strings.replaced);
    view.showStatus(strings.replaced, 'connection', { label: strings.useHere, run: useHere });
  }
}

// "Trying again in N seconds", counted down each second until the try.
function showRetryCountdown(tryAt, retryNow) {
  const show = () => {
    const seconds = Math.max(0, Math.ceil((tryAt - Date.now()) / 1000));
    view.showStatus(format(strings.connectionLost, { s: seconds }), 'connection',
      { label: strings.retryNow, run: retryNow });
    if (seconds === 0) clearInterval(countdown);
  };
  show();
  countdown = setInterval(show, COUNTDOWN_TICK_MS);
}
