// The moderators' front door, on every page: the login form and this tab's
// saved login. What a moderator can do (moderator.js and the modules it
// draws on) loads only once she logs in, or reloads a tab she logged in on,
// so that a participant's phone never fetches it. Until then each call here
// answers as for a participant.

import { load, save } from './session.js';

const LOGIN_REF = 'login';
const STAFF_FRAMES = ['choose_password', 'logged_in', 'logged_out', 'knock', 'report', 'reports', 'alert'];

const byId = (id) => document.getElementById(id);
const els = { loginForm: byId('login-form'), user: byId('login-user'), password: byId('login-password') };

let context = null;
let moderator = null;  // moderator.js, once loaded
let loading = null;    // its import, while under way
const waiting = [];    // frames for it that came while it loaded, in order
let pendingLogin = null; // asked for before the connection was up: it goes once it is

// context: as moderator.js's initModerator, and ready() once it has loaded
// (the page then draws what a moderator sees). Returns the load of a
// moderator's code when this tab has a saved login, else null.
export function initStaff(ctx) {
  context = ctx;
  els.loginForm.addEventListener('submit', (event) => {
    event.preventDefault();
    sendLogin();
  });
  els.loginForm.querySelector('fieldset').disabled = false; // its fieldset, closed until now
  return load('staff') ? loadModerator() : null;
}

function loadModerator() {
  loading ??= import('./moderator.js').then((module) => {
    module.initModerator(context);
    moderator = module;
    for (const frame of waiting.splice(0)) dispatch(frame);
    context.ready();
  }).catch(() => {
    // The network lost it: the next frame or login tries again.
    loading = null;
  });
  return loading;
}

export const staffHandlers = Object.fromEntries(STAFF_FRAMES.map((type) => [type, (frame) => {
  if (moderator) {
    dispatch(frame);
  } else {
    waiting.push(frame);
    loadModerator();
  }
}]));

function dispatch(frame) {
  moderator.moderatorHandlers[frame.type]?.(frame);
}

function sendLogin() {
  const user = els.user.value.trim();
  const password = els.password.value;
  if (user === '' || password === '') return;
  // Fetched while the password is checked: one round trip, not two.
  loadModerator();
  const login = { type: 'login', user, password, ref: LOGIN_REF };
  pendingLogin = null;
  if (!context.send(login)) {
    pendingLogin = login;
    context.status(context.reconnectingText(), 'connection');
  }
}

// The connection is up (welcomed): a login asked for while it was not goes now.
export function connected() {
  const login = pendingLogin;
  pendingLogin = null;
  if (login) context.send(login);
}

export function helloFields() {
  const login = load('staff');
  return login && typeof login.token === 'string' ? { auth: login.token } : {};
}

export function loginRefused() {
  if (moderator) moderator.loginRefused();
  else save('staff', null);
}

// Errors are shown by the caller unless this returns true.
export function onError(frame) {
  if (moderator) return moderator.onError(frame);
  if (frame.ref === LOGIN_REF) els.password.value = '';
  return false;
}

export function onOk(ref) {
  return moderator ? moderator.onOk(ref) : false;
}

export function memberActions(member) {
  return moderator ? moderator.memberActions(member) : [];
}

export function messageActions(message) {
  return moderator ? moderator.messageActions(message) : [];
}

export function connectionLost() {
  moderator?.connectionLost();
}

export function refreshPanel() {
  moderator?.refreshPanel();
}

export function enterRoom() {
  moderator?.enterRoom();
}

export function leaveRoom() {
  moderator?.leaveRoom();
}

export function memberJoined(id) {
  moderator?.memberJoined(id);
}
