// One WebSocket to the server: hello (with resume), reconnect with backoff,
// and a liveness check, because a phone's connection can die without a close.
// It knows nothing about rooms; every frame after the socket is up goes to onFrame.
// helloFields() adds fields to each hello (the device key, a moderator's login token).

import { load, save } from './session.js';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 15000;
const WELCOME_WITHIN_MS = 15000; // a new socket must be welcomed by then, or it is given up
const QUIET_MS = 25000;          // after this long without a frame, ask the server
const ANSWER_WITHIN_MS = 10000;  // and if nothing comes back by then, the link is dead
const CLOSE_REPLACED = 4002;     // this identity was resumed on another connection

// A circle's own path, /ws/c/SLUG, lets a proxy in front of several Kring
// nodes send every member of a circle to the same node (protocol/README.md).
export function socketUrl(location, slug) {
  const path = slug ? `/ws/c/${encodeURIComponent(slug)}` : '/ws';
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
}

// States given to onState: 'connecting' (first time), 'connected' (welcomed),
// 'reconnecting' (with the delay in ms before the next try, or none while trying),
// 'replaced' (closed with 4002; no retry until start()), 'stopped'.
export class Connection {
  #url;
  #onFrame;
  #onState;
  #since;
  #helloFields;
  #ws = null;
  #openedUrl = '';
  #welcomed = false;
  #everWelcomed = false;
  #failures = 0;
  #stopped = false;
  #retryTimer = 0;
  #quietTimer = 0;
  #answerTimer = 0;

  // url: a string, or a function giving the URL for each new socket.
  constructor(url, { onFrame, onState, since, helloFields = () => ({}) }) {
    this.#url = url;
    this.#onFrame = onFrame;
    this.#onState = onState;
    this.#since = since;
    this.#helloFields = helloFields;
  }

  // The URL the current (or last) socket was opened to.
  get url() {
    return this.#openedUrl;
  }

  get ready() {
    return this.#ws !== null && this.#welcomed;
  }

  start() {
    this.#stopped = false;
    this.#failures = 0;
    this.#connectNow();
  }

  stop() {
    this.#stopped = true;
    this.#abandonSocket();
    this.#onState('stopped');
  }

  // Start over on a fresh socket now (e.g. after a moderator's logout, which the server closes).
  restart() {
    this.#abandonSocket();
    this.start();
  }

  // Skip the rest of the backoff wait (the network came back, or the user asked).
  retryNow() {
    if (this.#retryTimer !== 0) this.#connectNow();
  }

  // The browser says the network is gone: give the socket up at once
  // rather than let the liveness check find it dead half a minute later.
  offline() {
    if (this.#ws) this.#giveUpSocket();
  }

  // The page became visible again: a sleeping phone may have lost the socket silently.
  checkAlive() {
    if (this.ready) this.#probe();
    else this.retryNow();
  }

  send(frame) {
    if (!this.ready) return false;
    this.#ws.send(JSON.stringify(frame));
    return true;
  }

  #connectNow() {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = 0;
    if (this.#ws) return;
    this.#welcomed = false;
    this.#onState(this.#everWelcomed || this.#failures > 0 ? 'reconnecting' : 'connecting');
    let ws;
    try {
      this.#openedUrl = typeof this.#url === 'function' ? this.#url() : this.#url;
      ws = new WebSocket(this.#openedUrl);
    } catch {
      this.#retryLater();
      return;
    }
    this.#ws = ws;
    this.#answerTimer = setTimeout(() => this.#giveUpSocket(), WELCOME_WITHIN_MS);
    ws.addEventListener('open', () => {
      if (ws === this.#ws) ws.send(JSON.stringify(this.#hello()));
    });
    ws.addEventListener('message', (event) => {
      if (ws === this.#ws) this.#receive(event.data);
    });
    ws.addEventListener('close', (event) => {
      if (ws === this.#ws) this.#lost(event.code);
    });
  }

  #hello() {
    const hello = { ...this.#helloFields(), type: 'hello', v: 1 };
    const token = load('token');
    if (typeof token === 'string' && token !== '') {
      hello.resume = token;
      const since = this.#since();
      if (since) hello.since = since;
    }
    return hello;
  }

  #receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (frame === null || typeof frame !== 'object' || typeof frame.type !== 'string') return;
    this.#heard();
    if (!this.#welcomed && frame.type === 'error' && frame.code === 'auth_failed') {
      // The login token was refused and no identity was given: onFrame forgets
      // the token, and the same socket says hello again without it.
      this.#onFrame(frame);
      const again = this.#hello();
      delete again.auth;
      this.#ws?.send(JSON.stringify(again));
      this.#answerTimer = setTimeout(() => this.#giveUpSocket(), WELCOME_WITHIN_MS);
      return;
    }
    if (frame.type === 'welcome') {
      this.#welcomed = true;
      this.#everWelcomed = true;
      this.#failures = 0;
      if (typeof frame.token === 'string') save('token', frame.token);
      this.#onState('connected');
    }
    this.#onFrame(frame);
  }

  #heard() {
    clearTimeout(this.#answerTimer);
    clearTimeout(this.#quietTimer);
    this.#quietTimer = setTimeout(() => this.#probe(), QUIET_MS);
  }

  #probe() {
    if (!this.send({ type: 'ping', ref: 'alive' })) return;
    clearTimeout(this.#answerTimer);
    this.#answerTimer = setTimeout(() => this.#giveUpSocket(), ANSWER_WITHIN_MS);
  }

  // The socket looks dead: stop waiting for its close event (which can take minutes).
  #giveUpSocket() {
    this.#abandonSocket();
    this.#lost(0);
  }

  #abandonSocket() {
    const ws = this.#ws;
    this.#ws = null;
    this.#welcomed = false;
    this.#clearTimers();
    if (ws) {
      try {
        ws.close();
      } catch {
        // Already closing.
      }
    }
  }

  #lost(code) {
    this.#ws = null;
    this.#welcomed = false;
    this.#clearTimers();
    if (this.#stopped) return;
    if (code === CLOSE_REPLACED) {
      this.#onState('replaced');
      return;
    }
    this.#retryLater();
  }

  #retryLater() {
    const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.#failures);
    const delay = Math.round(Math.min(MAX_RETRY_MS, base * (0.75 + Math.random() * 0.5)));
    this.#failures += 1;
    this.#retryTimer = setTimeout(() => this.#connectNow(), delay);
    this.#onState('reconnecting', delay);
  }

  #clearTimers() {
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#quietTimer);
    clearTimeout(this.#answerTimer);
    this.#retryTimer = 0;
  }
}
