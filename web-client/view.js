// The page: finds its elements, draws what app.js tells it, and hands user
// actions back through bind(). Text from people only ever goes in through textContent.

import { strings, format, roleText, timeText, languages } from './strings.js';
import { menuButton, closeMenu, forgetMenuIn, askUnder } from './menus.js';

export { askUnder };

const byId = (id) => document.getElementById(id);

const els = {
  conn: byId('conn'),
  language: byId('language'),
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
  agreementView: byId('agreement-view'),
  roomTitle: byId('room-title'),
  myName: byId('my-name'),
  leave: byId('leave'),
  roomHead: byId('room-head'),
  otherCircle: byId('other-circle'),
  pinned: byId('pinned'),
  pinnedText: byId('pinned-text'),
  pinnedBy: byId('pinned-by'),
  roomRules: byId('room-rules'),
  membersSummary: byId('members-summary'),
  members: byId('members'),
  scroller: byId('scroller'),
  log: byId('log'),
  outbox: byId('outbox'),
  composer: byId('composer'),
  draft: byId('draft'),
  counter: byId('counter'),
  send: byId('send'),
  composerNote: byId('composer-note'),
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

// The page in `language` ({code, dir}, strings.js): <html lang dir>, the
// picker, and every text the markup names.
export function setLanguage(language) {
  document.documentElement.lang = language.code;
  document.documentElement.dir = language.dir;
  fillLanguagePicker(language.code);
  applyStrings();
}

function fillLanguagePicker(chosen) {
  if (els.language.options.length === 0) {
    for (const { code, name, dir } of languages) {
      const option = new Option(name, code);
      option.lang = code;
      option.dir = dir;
      els.language.append(option);
    }
  }
  els.language.value = chosen;
}

// A catalog text by its key, dotted for a group's ("lobby.intro").
function textFor(key) {
  return key.split('.').reduce((group, part) => group?.[part], strings) ?? '';
}

function applyStrings() {
  for (const node of document.querySelectorAll('[data-text]')) {
    node.textContent = textFor(node.dataset.text);
  }
  for (const node of document.querySelectorAll('[data-title]')) {
    node.title = textFor(node.dataset.title);
  }
  for (const node of document.querySelectorAll('[data-label]')) {
    node.setAttribute('aria-label', textFor(node.dataset.label));
    node.placeholder = textFor(node.dataset.label);
  }
  document.title = strings.appName;
}

// handlers: join({room, name, code}), send(), leave(), draftChanged(), language(code);
// statusAction via showStatus.
export function bind(handlers) {
  els.joinForm.addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.join({ room: els.room.value, name: els.name.value, code: els.code.value });
  });
  els.joinForm.querySelector('fieldset').disabled = false; // its fieldset, closed until now
  els.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.send();
  });
  els.language.addEventListener('change', () => handlers.language(els.language.value));
  els.draft.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter is a new line; never while an input method is composing.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    handlers.send();
  });
  els.draft.addEventListener('input', () => handlers.draftChanged());
  els.leave.addEventListener('click', () => askUnder(els.roomHead, els.leave, {
    confirm: { question: strings.leaveQuestion, button: strings.leaveConfirm },
    run: () => handlers.leave(),
  }));
  els.statusAction.addEventListener('click', () => {
    if (statusAction) statusAction();
  });
  els.pinned.addEventListener('click', () => els.pinned.classList.toggle('open'));
}

export function setConnection(state) {
  els.conn.textContent = strings.connection[state] ?? state;
  els.conn.dataset.state = state;
}

// kind groups statuses so that one can be cleared without hiding another:
// 'connection', 'join', 'error', 'notice', 'thanks'. action is an optional {label, run}.
export function showStatus(text, kind, action = null) {
  statusKind = kind;
  statusAction = action ? action.run : null;
  // Errors interrupt a screen reader; the rest (the connection, thanks,
  // waiting) is said when it pauses.
  els.status.setAttribute('role', kind === 'error' ? 'alert' : 'status');
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

// The form for a circle by its name, open (a circle the lobby does not
// list, or one that needs its access code), with the focus where to type.
export function openOtherCircle(slug, focus) {
  els.otherCircle.open = true;
  els.room.value = slug;
  (focus === 'code' ? els.code : els.room).focus();
}

// The tab's title, with a count in front while something waits for a moderator.
let baseTitle = '';
let badge = 0;

export function setBadge(count) {
  badge = count;
  showTitle();
}

function showTitle(base = baseTitle) {
  baseTitle = base;
  document.title = badge > 0 ? `(${badge}) ${base}` : base;
}

export function showJoin({ room, name, code }) {
  els.room.value = room;
  els.name.value = name;
  els.code.value = code;
  els.chatView.hidden = true;
  els.agreementView.hidden = true;
  els.joinView.hidden = false;
  showTitle(strings.appName);
}

export function showChat(title, myName) {
  els.roomTitle.textContent = title;
  els.myName.textContent = myName;
  showTitle(`${title} · ${strings.appName}`);
  els.joinView.hidden = true;
  els.agreementView.hidden = true;
  els.chatView.hidden = false;
}

// menuFor(member) gives the actions offered on a member (see menuButton), often
// none; marksFor(member) the small marks after its name ({className, text, label}).
export function renderMembers(members, myId, { menuFor = () => [], marksFor = () => [] } = {}) {
  els.membersSummary.textContent = format(strings.whoIsHere, { n: members.length });
  const items = members.map((member) => {
    const item = document.createElement('li');
    const line = document.createElement('div');
    line.className = 'member-line';
    line.append(nameSpan(member.name));
    const role = roleText(member.role);
    if (role) line.append(tag('role', role));
    if (member.id === myId) line.append(tag('you-tag', strings.youTag));
    for (const mark of marksFor(member)) {
      const shown = tag(mark.className, mark.text);
      shown.title = mark.label;
      shown.setAttribute('aria-label', mark.label);
      shown.setAttribute('role', 'img');
      line.append(shown);
    }
    if (menuFor(member).length > 0) line.append(menuButton(item, member.name, () => menuFor(member)));
    item.append(line);
    return item;
  });
  forgetMenuIn(els.members);
  els.members.replaceChildren(...items);
}

export function clearLog() {
  closeMenu();
  els.log.replaceChildren();
  els.outbox.replaceChildren();
  followLog = true;
}

// isOwn(message) marks the user's own; menuFor(message) gives the actions
// offered on it; decorate(item, message) adds what goes under it.
export function appendMessages(messages, { isOwn, menuFor = () => [], decorate = () => {} }) {
  for (const message of messages) {
    const item = messageItem(message, isOwn(message), menuFor);
    decorate(item, message);
    els.log.append(item);
  }
  while (els.log.childElementCount > MAX_SHOWN) els.log.firstElementChild.remove();
  if (followLog) scrollToEnd();
}

export function removeMessage(id) {
  for (const item of els.log.children) {
    if (item.dataset.id === id) {
      forgetMenuIn(item);
      item.remove();
      return;
    }
  }
}

// pinned: {text, by} or null.
export function setPinned(pinned) {
  els.pinned.hidden = !pinned;
  els.pinned.classList.remove('open');
  els.pinnedText.textContent = pinned ? pinned.text : '';
  els.pinnedBy.textContent = pinned && pinned.by ? format(strings.pinnedBy, { name: pinned.by }) : '';
}

// rules: short texts about the room's state (slow mode, moderated, …).
export function setRoomRules(rules) {
  els.roomRules.replaceChildren(...rules.map((rule) => {
    const item = document.createElement('li');
    item.textContent = rule;
    return item;
  }));
  els.roomRules.hidden = rules.length === 0;
}

// note: why the user can't send now, or '' when they can.
export function setComposerBlocked(note) {
  const blocked = note !== '';
  els.draft.disabled = blocked;
  els.send.disabled = blocked;
  els.composerNote.textContent = note;
  els.composerNote.hidden = !blocked;
}

export function appendNotice(text) {
  const item = document.createElement('li');
  item.className = 'notice';
  item.textContent = text;
  appendItem(item);
}

// A line of the log that is no message of the circle (a private word).
export function appendItem(item) {
  els.log.append(item);
  if (followLog) scrollToEnd();
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

function messageItem(message, own, menuFor) {
  const item = document.createElement('li');
  item.className = own ? 'message own' : 'message';
  item.dataset.id = message.id;
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.append(nameSpan(message.from.name));
  const role = roleText(message.from.role);
  if (role) {
    meta.append(tag('role', role));
    item.classList.add('staff');
  }
  if (own) {
    meta.append(tag('you-tag', strings.youTag));
    // In the log means the server has it: sent (outbox_view.js shows the rest).
    const sent = tag('sent', '✓');
    sent.title = strings.sent;
    sent.setAttribute('aria-label', strings.sent);
    sent.setAttribute('role', 'img');
    meta.append(sent);
  }
  meta.append(timeElement(message.ts));
  if (menuFor(message).length > 0) meta.append(menuButton(item, message.from.name, () => menuFor(message)));
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

export function textPara(text) {
  const para = document.createElement('p');
  para.className = 'text';
  para.dir = 'auto';
  para.textContent = text;
  return para;
}

export function tag(className, text) {
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
  time.textContent = timeText(date.getTime());
  return time;
}

function nearBottom() {
  const box = els.scroller;
  return box.scrollHeight - box.scrollTop - box.clientHeight < NEAR_BOTTOM_PX;
}

export function scrollToEnd() {
  els.scroller.scrollTop = els.scroller.scrollHeight;
  followLog = true;
}
