// For moderators and admins, loaded once one logs in (staff.js): her login
// (and the form for a password of her own, password_form.js), the controls of a circle, the people waiting at
// its door, and the actions offered on members and messages. The server
// checks every action; these buttons only spare a moderator the errors.

import { strings, format, roleText } from './strings.js';
import { load, save } from './session.js';
import { roomRules, isMuted } from './rules.js';
import * as view from './view.js';
import * as passwordForm from './password_form.js';
import * as reports from './reports.js';
import { chime } from './chime.js';
import { runsCircles } from './circle.js';
import { initCircleControls, refreshControls, flowActions } from './circle_controls.js';
import * as alerts from './alerts.js';
import { actionButton as button } from './menus.js';

const STAFF = new Set(['moderator', 'admin']);
const LOGIN_REF = 'login';
const LOGOUT_REF = 'logout';
const SLOW_CHOICES = [0, 10, 30, 60, 300];
const MUTE_MINUTES = 10;

const byId = (id) => document.getElementById(id);
const els = {
  loginBox: byId('staff-login'),
  user: byId('login-user'),
  password: byId('login-password'),
  staffLine: byId('staff-line'),
  staffWho: byId('staff-who'),
  logout: byId('logout'),
  changePassword: byId('change-password'),
  panel: byId('mod-panel'),
  modOnly: byId('mod-only'),
  lock: byId('mod-lock'),
  waiting: byId('mod-waiting'),
  moderated: byId('mod-moderated'),
  slow: byId('mod-slow'),
  pinForm: byId('pin-form'),
  pinText: byId('pin-text'),
  unpin: byId('mod-unpin'),
  end: byId('mod-end'),
  knocks: byId('knocks'),
};

// this tab's login: {token, role, name, rooms, expires}. sessionStorage: gone with the tab.
let login = load('staff');
let ctx = null;
let nextRef = 1;
const sent = new Map();    // ref of an action -> {done(), gone()}: on `ok`, on `no_such_member`
const knocks = new Map();  // id -> name of someone waiting at the door
let openReports = 0;       // how many the reports list holds

// context: send(frame) -> bool, slug(), myId(), role(), loggedIn({role, name}),
// loggedOut(), notice(text), status(text, kind), clearStatus(kind), circle
// (circle.js state), nameOf(id), ready().
export function initModerator(context) {
  ctx = context;
  initCircleControls({
    circle: ctx.circle,
    act,
    mode: () => roomRules().mode,
    nameOf: ctx.nameOf,
    ask: view.askUnder,
  });
  fillSlowChoices();
  els.logout.addEventListener('click', sendLogout);
  els.changePassword.addEventListener('click', () => {
    if (login) passwordForm.askChange(login.name);
  });
  passwordForm.initPasswordForm({ send: (frame) => ctx.send(frame), cancelFirst: sendLogout });
  els.lock.addEventListener('click', () => act({ type: roomRules().locked ? 'unlock' : 'lock' }));
  els.waiting.addEventListener('click', () => act({ type: 'room_set', waiting: !roomRules().waiting }));
  els.moderated.addEventListener('click', () => act({
    type: 'room_set', mode: roomRules().mode === 'moderated' ? 'open' : 'moderated',
  }));
  els.slow.addEventListener('change', () => act({ type: 'room_set', slow: Number(els.slow.value) }));
  els.pinForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = els.pinText.value.trim();
    if (text !== '') act({ type: 'pin', text }, () => { els.pinText.value = ''; });
  });
  els.unpin.addEventListener('click', () => act({ type: 'pin' }));
  els.end.addEventListener('click', () => view.askUnder(els.end.parentElement, els.end, {
    confirm: { question: strings.endQuestion, button: strings.endConfirm, danger: true },
    run: () => act({ type: 'end' }),
  }));
  alerts.initAlerts({ slug: () => ctx.slug(), changed: showBadge });
  reports.initReports({
    send: (frame) => ctx.send(frame),
    slug: () => ctx.slug(),
    changed: (count) => {
      openReports = count;
      showBadge();
    },
  });
  showLogin();
}

// The tab's title counts what waits for a moderator: alerts, knocks and open reports.
function showBadge() {
  view.setBadge(alerts.count() + knocks.size + openReports);
}

export const moderatorHandlers = {
  choose_password: onChoosePassword,
  logged_in: onLoggedIn,
  logged_out: loggedOut,
  knock: onKnock,
  report: onReport,
  reports: (frame) => reports.onReports(frame),
  alert: (frame) => {
    if (alerts.onAlert(frame)) chime();
  },
};

export function isStaff(role) {
  return STAFF.has(role);
}

// The server refused the saved login token (expired or revoked).
export function loginRefused() {
  forgetLogin();
}

export function onOk(ref) {
  if (reports.onAnswer(ref)) return true;
  const action = sent.get(ref);
  if (!action) return false;
  sent.delete(ref);
  action.done();
  return true;
}

// Errors are shown by the caller, unless this returns true; here only what
// they leave behind is tidied.
export function onError(frame) {
  if (passwordForm.onError(frame)) return true;
  if (reports.onAnswer(frame.ref, true, frame.code)) return true;
  if (frame.ref === LOGIN_REF) els.password.value = '';
  if (frame.ref === LOGOUT_REF) loggedOut();
  const action = sent.get(frame.ref);
  if (!action) return false;
  sent.delete(frame.ref);
  if (frame.code === 'no_such_member') action.gone();
  return false;
}

// The connection dropped: a login waiting for a new password is gone with it.
export function connectionLost() {
  if (!passwordForm.isFirst()) return;
  passwordForm.close();
  showLogin();
}

export function enterRoom() {
  refreshPanel();
  if (mayModerate()) reports.load();
}

export function leaveRoom() {
  knocks.clear();
  showKnocks();
  reports.clear();
  alerts.clear();
  els.panel.hidden = true;
  els.panel.open = false;
}

export function memberJoined(id) {
  if (knocks.delete(id)) showKnocks();
}

// The actions a moderator has on a member of the circle on screen.
export function memberActions(member) {
  if (!mayRun() || member.id === ctx.myId()) return [];
  const flow = flowActions(member);
  if (!mayModerate() || isStaff(member.role)) return flow;
  const slug = ctx.slug();
  const muting = isMuted(member.id)
    ? [{ label: strings.unmute, run: () => act({ type: 'unmute', member: member.id }) }]
    : [
      { label: format(strings.muteFor, { n: MUTE_MINUTES }), run: () => act({ type: 'mute', member: member.id, minutes: MUTE_MINUTES }) },
      { label: strings.mute, run: () => act({ type: 'mute', member: member.id }) },
    ];
  return [
    ...flow,
    ...muting,
    {
      label: strings.removeMember,
      confirm: {
        question: format(strings.removeQuestion, { name: member.name }), button: strings.removeConfirm,
        reason: strings.removeReason, danger: true,
      },
      run: (reason) => act(withReason({ type: 'remove', member: member.id }, reason)),
    },
    {
      label: strings.banMember,
      confirm: {
        question: format(strings.banQuestion, { name: member.name, room: slug }), button: strings.banConfirm,
        reason: strings.banReason, danger: true,
      },
      run: (reason) => act(withReason({ type: 'ban', member: member.id, scope: 'room' }, reason)),
    },
  ];
}

// The actions a moderator has on a message of the circle on screen.
export function messageActions(message) {
  if (!mayModerate()) return [];
  return [
    { label: strings.pinMessage, run: () => act({ type: 'pin', message: message.id }) },
    {
      label: strings.deleteMessage,
      confirm: { question: strings.deleteQuestion, button: strings.deleteConfirm, danger: true },
      run: () => act({ type: 'delete', message: message.id }),
    },
  ];
}

// Shows the controls as the room's rules now are (called after every change).
export function refreshPanel() {
  els.panel.hidden = !mayRun();
  if (els.panel.hidden) return;
  refreshControls();
  els.modOnly.hidden = !mayModerate();
  const rules = roomRules();
  els.lock.textContent = rules.locked ? strings.unlockButton : strings.lockButton;
  els.waiting.textContent = rules.waiting ? strings.waitingOff : strings.waitingOn;
  els.moderated.textContent = rules.mode === 'moderated' ? strings.moderatedOff : strings.moderatedOn;
  if (!SLOW_CHOICES.includes(rules.slow)) addSlowChoice(rules.slow);
  els.slow.value = String(rules.slow);
  els.unpin.hidden = rules.pinned === null;
}

function mayModerate() {
  if (!ctx || !isStaff(ctx.role()) || ctx.slug() === '') return false;
  if (ctx.role() === 'admin' || !login || !Array.isArray(login.rooms)) return true;
  return login.rooms.includes(ctx.slug());
}

// Runs the circle's flow (the piece, phases, pause, hands): its moderators,
// and the facilitator of a peer-led circle.
function mayRun() {
  if (mayModerate()) return true;
  if (!ctx || !runsCircles(ctx.role()) || ctx.slug() === '' || !login) return false;
  return [...(login.rooms ?? []), ...(login.facilitates ?? [])].includes(ctx.slug());
}

function act(request, done = () => {}, gone = () => {}) {
  const ref = `m${nextRef}`;
  nextRef += 1;
  if (ctx.send({ ...request, room: ctx.slug(), ref })) sent.set(ref, { done, gone });
}

function withReason(request, reason) {
  return reason ? { ...request, reason } : request;
}

function sendLogout() {
  if (!ctx.send({ type: 'logout', ref: LOGOUT_REF })) loggedOut();
}

// The password just used was one-time: she chooses her own before anything else.
function onChoosePassword(frame) {
  els.password.value = '';
  els.loginBox.open = false;
  els.loginBox.hidden = true;
  ctx.clearStatus('error');
  passwordForm.askFirst(frame);
}

function onLoggedIn(frame) {
  const changed = login !== null; // a logged-in moderator's new password brings a new login
  passwordForm.close();
  if (changed) ctx.status(strings.passwordChanged, 'notice');
  login = {
    token: String(frame.token ?? ''),
    role: String(frame.role ?? ''),
    name: String(frame.name ?? ''),
    rooms: Array.isArray(frame.rooms) ? frame.rooms.map(String) : null,
    facilitates: Array.isArray(frame.facilitates) ? frame.facilitates.map(String) : [],
    expires: frame.expires,
  };
  save('staff', login);
  els.password.value = '';
  els.loginBox.open = false;
  ctx.loggedIn({ role: login.role, name: login.name });
  showLogin();
}

function forgetLogin() {
  login = null;
  save('staff', null);
  showLogin();
}

function loggedOut() {
  passwordForm.close();
  forgetLogin();
  ctx.loggedOut();
}

function showLogin() {
  const staff = login !== null;
  els.loginBox.hidden = staff || passwordForm.isFirst();
  els.staffLine.hidden = !staff;
  els.staffWho.textContent = staff ? format(strings.loggedInAs, { name: login.name, role: roleText(login.role) }) : '';
}

function onKnock(frame) {
  const member = frame.member ?? {};
  if (frame.room !== ctx.slug() || typeof member.id !== 'string') return;
  if (!knocks.has(member.id)) chime();
  knocks.set(member.id, String(member.name ?? ''));
  showKnocks();
}

function showKnocks() {
  const items = [...knocks].map(([id, name]) => {
    const item = document.createElement('li');
    const text = document.createElement('span');
    text.dir = 'auto';
    text.textContent = format(strings.knocking, { name });
    // Done, or gone: a `no_such_member` answer means the joiner stopped waiting.
    const done = () => memberJoined(id);
    item.append(text,
      button(strings.admit, () => act({ type: 'admit', member: id }, done, done), 'primary'),
      button(strings.deny, () => act({ type: 'deny', member: id }, done, done)));
    return item;
  });
  els.knocks.replaceChildren(...items);
  els.knocks.hidden = items.length === 0;
  showBadge();
}

function onReport(frame) {
  if (reports.onReport(frame)) chime();
}

function fillSlowChoices() {
  for (const seconds of SLOW_CHOICES) addSlowChoice(seconds);
}

function addSlowChoice(seconds) {
  const option = document.createElement('option');
  option.value = String(seconds);
  option.textContent = seconds === 0 ? strings.slowOff : format(strings.slowEvery, { n: seconds });
  els.slow.append(option);
}
