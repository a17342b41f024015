// The page: finds its elements, draws what app.js tells it, and hands user
// actions back through bind(). Text from people only ever goes in through textContent.

import { strings, format, roleText } from './strings.js';

const byId = (id) => document.getElementById(id);

const els = {
  conn: byId('conn'),
  status: byId('status'),
  statusText: byId('status-text'),
  statusAction: byId('status-action'),
  joinView: byId('join-view'),
  pseudonymLine: byId('pseudonym-line'),
  pseudonym: byId('pseudonym'),
  joinForm: byId('join-form'),
  room: byId('room'),
  name: byId('name'),
  code: byId('code'),
  chatView: byId('chat-view'),
  roomTitle: byId('room-title'),
  myName: byId('my-name'),
  leave: byId('leave'),
  membersSummary: byId('members-summary'),
  members: byId('members'),
  scroller: byId('scroller'),
  log: byId('log'),
  outbox: byId('outbox'),
  composer: byId('composer'),
  draft: byId('draft'),
  counter: byId('counter'),
};

const MAX_SHOWN = 500; // messages kept in the page; older ones are dropped from the top
const NEAR_BOTTOM_PX = 80;

let statusKind = '';
let statusAction = null;
let followLog = true; // the user is at the end of the log: keep them there

els.scroller.addEventListener('scroll', () => {
  followLog = nearBottom();
}, { passive: true });
// The log box shrinks when the status line or the keyboard appears: stay at the end.
new ResizeObserver(() => {
  if (followLog) scrollToEnd();
}).observe(els.scroller);

export function applyStrings() {
  for (const node of document.querySelectorAll('[data-text]')) {
    node.textContent = strings[node.dataset.text];
  }
  for (const node of document.querySelectorAll('[data-label]')) {
    node.setAttribute('aria-label', strings[node.dataset.label]);
    node.placeholder = strings[node.dataset.label];
  }
  document.title = strings.appName;
}

// handlers: join({room, name, code}), send(), leave(), draftChanged(), statusAction via showStatus.
export function bind(handlers) {
  els.joinForm.addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.join({ room: els.room.value, name: els.name.value, code: els.code.value });
  });
  els.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.send();
  });
  els.draft.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter is a new line; never while an input method is composing.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    handlers.send();
  });
  els.draft.addEventListener('input', () => handlers.draftChanged());
  els.leave.addEventListener('click', () => handlers.leave());
  els.statusAction.addEventListener('click', () => {
    if (statusAction) statusAction();
  });
}

export function setConnection(state) {
  els.conn.textContent = strings.connection[state] ?? state;
  els.conn.dataset.state = state;
}

// kind groups statuses so that one can be cleared without hiding another:
// 'connection', 'join', 'error'. action is an optional {label, run}.
export function showStatus(text, kind, action = null) {
  statusKind = kind;
  statusAction = action ? action.run : null;
  els.status.dataset.kind = kind;
  els.statusText.textContent = text;
  els.statusAction.hidden = action === null;
  els.statusAction.textContent = action ? action.label : '';
  els.status.hidden = false;
}

export function clearStatus(kind = statusKind) {
  if (kind !== statusKind) return;
  statusKind = '';
  statusAction = null;
  els.status.hidden = true;
}

export function setPseudonym(name) {
  els.pseudonym.textContent = name;
  els.pseudonymLine.hidden = false;
  els.name.placeholder = name;
}

export function showJoin({ room, name, code }) {
  els.room.value = room;
  els.name.value = name;
  els.code.value = code;
  els.chatView.hidden = true;
  els.joinView.hidden = false;
  document.title = strings.appName;
}

export function showChat(title, myName) {
  els.roomTitle.textContent = title;
  els.myName.textContent = myName;
  document.title = `${title} · ${strings.appName}`;
  els.joinView.hidden = true;
  els.chatView.hidden = false;
}

export function renderMembers(members, myId) {
  els.membersSummary.textContent = format(strings.whoIsHere, { n: members.length });
  const items = members.map((member) => {
    const item = document.createElement('li');
    item.append(nameSpan(member.name));
    const role = roleText(member.role);
    if (role) item.append(tag('role', role));
    if (member.id === myId) item.append(tag('you-tag', strings.youTag));
    return item;
  });
  els.members.replaceChildren(...items);
}

export function clearLog() {
  els.log.replaceChildren();
  els.outbox.replaceChildren();
  followLog = true;
}

export function appendMessages(messages, isOwn) {
  for (const message of messages) els.log.append(messageItem(message, isOwn(message)));
  while (els.log.childElementCount > MAX_SHOWN) els.log.firstElementChild.remove();
  if (followLog) scrollToEnd();
}

export function appendNotice(text) {
  const item = document.createElement('li');
  item.className = 'notice';
  item.textContent = text;
  els.log.append(item);
  if (followLog) scrollToEnd();
}

// A message typed here that the server has not echoed yet.
export function appendPending(text) {
  const item = document.createElement('li');
  item.className = 'message own pending';
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.append(tag('sending', strings.sending));
  item.append(meta, textPara(text));
  els.outbox.append(item);
  scrollToEnd();
  return item;
}

export function removePending(item) {
  item.remove();
}

export function draft() {
  return els.draft.value;
}

export function setDraft(text) {
  els.draft.value = text;
}

export function focusDraft() {
  els.draft.focus();
}

export function setCounter(count, max) {
  els.counter.textContent = format(strings.counter, { n: count, max });
  els.counter.classList.toggle('over', count > max);
}

function messageItem(message, own) {
  const item = document.createElement('li');
  item.className = own ? 'message own' : 'message';
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.append(nameSpan(message.from.name));
  const role = roleText(message.from.role);
  if (role) meta.append(tag('role', role));
  if (own) meta.append(tag('you-tag', strings.youTag));
  meta.append(timeElement(message.ts));
  item.append(meta, textPara(message.text));
  return item;
}

function nameSpan(name) {
  const span = document.createElement('span');
  span.className = 'name';
  span.dir = 'auto';
  span.textContent = name;
  return span;
}

function textPara(text) {
  const para = document.createElement('p');
  para.className = 'text';
  para.dir = 'auto';
  para.textContent = text;
  return para;
}

function tag(className, text) {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = text;
  return span;
}

function timeElement(ts) {
  const time = document.createElement('time');
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return time;
  time.dateTime = date.toISOString();
  const sameDay = date.toDateString() === new Date().toDateString();
  const options = sameDay
    ? { hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  time.textContent = date.toLocaleString(undefined, options);
  return time;
}

function nearBottom() {
  const box = els.scroller;
  return box.scrollHeight - box.scrollTop - box.clientHeight < NEAR_BOTTOM_PX;
}

function scrollToEnd() {
  els.scroller.scrollTop = els.scroller.scrollHeight;
  followLog = true;
}
