// Kring's web client: one circle at a time. This file keeps the chat's state
// (which circle, what was seen, what is still being sent) and answers each
// server frame; connection.js owns the socket and view.js the page.

import { strings, format, errorText } from './strings.js';
import { Connection, socketUrl } from './connection.js';
import { load, save } from './session.js';
import * as view from './view.js';

const SLUG = /^[a-z0-9-]{1,32}$/;
const DEFAULT_LIMITS = { text: 2000, name: 32, history: 200 };
const CODE_MAX = 128;
const JOIN_REF = 'join';
const RESUME_CHECK_REF = 'resumed';
const KEPT_IDS = 20;

const state = {
  limits: { ...DEFAULT_LIMITS },
  myId: '',
  myIds: new Set(asArray(load('ids'))), // identities this tab had: their messages are "own"
  want: load('want'),      // {slug, name, code}: the circle the user chose; survives reconnects
  log: reloadedLog(load('log')), // {slug, title, myName, lastSeq, messages}: what is shown
  inRoom: false,           // the server confirmed the join on the current connection
  joinSent: false,
  members: new Map(),      // id -> {id, name, role}
  pending: new Map(),      // say ref -> {text, afterSeq, sent, element}
  nextRef: 1,
};

const connection = new Connection(socketUrl(window.location), {
  onFrame: (frame) => {
    if (Object.hasOwn(handlers, frame.type)) handlers[frame.type](frame);
  },
  onState: connectionChanged,
  since: () => (state.want && state.log && state.log.slug === state.want.slug && !state.log.reloaded
    ? { [state.log.slug]: state.log.lastSeq }
    : null),
});

const handlers = {
  welcome: onWelcome,
  joined: onJoined,
  message: onMessage,
  member_joined: onMemberJoined,
  member_left: onMemberLeft,
  pong: onPong,
  error: onError,
};

start();

// Message text never goes to storage, which a browser may write to disk: after
// a reload the page asks the server again for what the circle keeps.
function saveLog() {
  if (!state.log) return;
  const { slug, title, myName } = state.log;
  save('log', { slug, title, myName });
}

function reloadedLog(saved) {
  if (!saved || typeof saved.slug !== 'string') return null;
  return { slug: saved.slug, title: saved.title, myName: saved.myName, lastSeq: 0, messages: [], reloaded: true };
}

function start() {
  view.applyStrings();
  view.bind({ join: joinClicked, send: sendDraft, leave: leaveRoom, draftChanged: updateCounter });
  if (state.log && state.want?.slug !== state.log.slug) {
    state.log = null;
    save('log', null);
  }
  if (state.want && state.log) {
    view.showChat(state.log.title || state.log.slug, state.log.myName ?? '');
    view.appendMessages(state.log.messages, isOwn);
  } else {
    view.showJoin(joinPrefill());
  }
  updateCounter();
  window.addEventListener('online', () => connection.retryNow());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') connection.checkAlive();
  });
  connection.start();
}

function connectionChanged(connState, retryInMs) {
  view.setConnection(connState);
  if (connState !== 'connected') {
    state.inRoom = false;
    state.joinSent = false;
  }
  if (connState === 'connected') {
    view.clearStatus('connection');
  } else if (connState === 'reconnecting' && retryInMs !== undefined) {
    view.showStatus(format(strings.connectionLost, { s: Math.ceil(retryInMs / 1000) }), 'connection',
      { label: strings.retryNow, run: () => connection.retryNow() });
  } else if (connState === 'replaced') {
    view.showStatus(strings.replaced, 'connection', { label: strings.useHere, run: () => connection.start() });
  }
}

// ---- server frames ----

function onWelcome(frame) {
  state.limits = { ...DEFAULT_LIMITS, ...(frame.limits ?? {}) };
  state.myId = String(frame.id);
  rememberId(state.myId);
  view.setPseudonym(String(frame.name));
  updateCounter();
  if (frame.resumed === true) {
    // The rooms this identity is in come next as `joined`; the pong comes after them.
    connection.send({ type: 'ping', ref: RESUME_CHECK_REF });
  } else {
    joinWanted();
  }
}

function onPong(frame) {
  if (frame.ref === RESUME_CHECK_REF) joinWanted();
}

function onJoined(frame) {
  const room = frame.room ?? {};
  if (typeof room.slug !== 'string') return;
  if (!state.want || room.slug !== state.want.slug) {
    // Still in a circle the user has left meanwhile (e.g. while offline).
    connection.send({ type: 'leave', room: room.slug });
    return;
  }
  state.inRoom = true;
  state.joinSent = false;
  const title = typeof room.title === 'string' && room.title !== '' ? room.title : room.slug;
  const history = asArray(frame.history);
  const roomSeq = Number(frame.seq) || 0;
  if (!state.log || state.log.slug !== room.slug) {
    state.log = { slug: room.slug, title, lastSeq: 0, messages: [] };
    view.clearLog();
  } else if (state.log.reloaded) {
    delete state.log.reloaded; // the server sends all it keeps: nothing to note
  } else {
    noteWhatWasMissed(frame.gap === true, history, roomSeq);
  }
  const you = frame.you ?? {};
  if (you.id) state.myId = String(you.id);
  state.log.title = title;
  state.log.myName = String(you.name ?? '');
  addMessages(history);
  state.log.lastSeq = Math.max(state.log.lastSeq, roomSeq);
  saveLog();

  state.members = new Map(asArray(frame.members).map((member) => [member.id, member]));
  view.showChat(title, state.log.myName);
  renderMembers();
  view.clearStatus('join');
  view.clearStatus('error');
  window.history.replaceState(null, '', `?room=${encodeURIComponent(room.slug)}`);
  resendPending(history);
}

// On a rejoin or resume, tell the user when the chat has a hole or started over.
function noteWhatWasMissed(serverSaysGap, history, roomSeq) {
  const seen = state.log.lastSeq;
  if (roomSeq < seen) {
    // The room's counter went back: the server was restarted and lost its messages.
    view.appendNotice(strings.restarted);
    state.log.lastSeq = 0;
    return;
  }
  const fresh = history.filter((message) => message.seq > seen);
  const firstNew = fresh.length > 0 ? fresh[0].seq : roomSeq + 1;
  if (serverSaysGap || firstNew > seen + 1) view.appendNotice(strings.gap);
}

function onMessage(frame) {
  if (!state.log || frame.room !== state.log.slug) return;
  const mine = state.pending.get(frame.ref);
  if (mine) {
    view.removePending(mine.element);
    state.pending.delete(frame.ref);
  }
  addMessages([frame]);
  saveLog();
}

function onMemberJoined(frame) {
  if (!state.log || frame.room !== state.log.slug || !frame.member) return;
  state.members.set(frame.member.id, frame.member);
  renderMembers();
}

function onMemberLeft(frame) {
  if (!state.log || frame.room !== state.log.slug) return;
  state.members.delete(frame.id);
  renderMembers();
}

function onError(frame) {
  const code = String(frame.code);
  if (frame.ref === JOIN_REF) {
    joinFailed(code);
    return;
  }
  const mine = state.pending.get(frame.ref);
  if (mine) {
    view.removePending(mine.element);
    state.pending.delete(frame.ref);
    if (view.draft().trim() === '') {
      view.setDraft(mine.text);
      updateCounter();
    }
  }
  if (code === 'not_in_room') {
    state.inRoom = false;
    joinWanted();
  }
  if (code === 'unsupported_version') connection.stop();
  view.showStatus(errorText(code), 'error');
}

function joinFailed(code) {
  state.joinSent = false;
  if (code === 'already_joined') return;
  const tried = state.want;
  state.want = null;
  save('want', null);
  view.showJoin(joinPrefill(tried));
  view.showStatus(errorText(code), 'error');
}

// ---- user actions ----

function joinClicked(fields) {
  const slug = fields.room.trim().toLowerCase();
  const name = fields.name.trim();
  const code = fields.code.trim();
  if (!SLUG.test(slug)) {
    view.showStatus(strings.badSlug, 'error');
    return;
  }
  if (codePoints(name) > state.limits.name) {
    view.showStatus(format(strings.nameTooLong, { max: state.limits.name }), 'error');
    return;
  }
  if (codePoints(code) > CODE_MAX) {
    view.showStatus(errorText('too_long'), 'error');
    return;
  }
  state.want = { slug, name, code };
  save('want', state.want);
  view.showStatus(strings.joining, 'join');
  joinWanted();
}

function joinWanted() {
  if (!state.want || state.inRoom || state.joinSent) return;
  const frame = { type: 'join', room: state.want.slug, ref: JOIN_REF };
  if (state.want.name) frame.name = state.want.name;
  if (state.want.code) frame.code = state.want.code;
  state.joinSent = connection.send(frame);
}

function leaveRoom() {
  if (!state.want) return;
  const left = state.want;
  if (state.inRoom) connection.send({ type: 'leave', room: left.slug });
  state.want = null;
  state.log = null;
  state.inRoom = false;
  state.joinSent = false;
  state.members.clear();
  state.pending.clear();
  save('want', null);
  save('log', null);
  view.clearLog();
  view.clearStatus();
  view.showJoin(joinPrefill(left));
}

function sendDraft() {
  const text = view.draft().trim();
  if (text === '' || !state.want || !state.log) return;
  view.clearStatus('error');
  if (codePoints(text) > state.limits.text) {
    view.showStatus(format(strings.textTooLong, { max: state.limits.text }), 'error');
    return;
  }
  const ref = `s${state.nextRef}`;
  state.nextRef += 1;
  const item = { text, afterSeq: state.log.lastSeq, sent: false, element: view.appendPending(text) };
  state.pending.set(ref, item);
  sendPending(ref, item);
  view.setDraft('');
  updateCounter();
  view.focusDraft();
}

// Messages typed while the connection was down are sent once the circle is joined
// again; one that reached the server before the drop shows up in the history instead.
function resendPending(history) {
  for (const [ref, item] of state.pending) {
    const arrived = item.sent && history.some((message) => message.seq > item.afterSeq
      && state.myIds.has(message.from?.id) && message.text === item.text);
    if (arrived) {
      view.removePending(item.element);
      state.pending.delete(ref);
    } else {
      sendPending(ref, item);
    }
  }
}

function sendPending(ref, item) {
  if (!state.inRoom) return;
  const sent = connection.send({ type: 'say', room: state.want.slug, text: item.text, ref });
  item.sent = item.sent || sent;
}

function updateCounter() {
  view.setCounter(codePoints(view.draft()), state.limits.text);
}

// ---- helpers ----

// Adds messages not shown yet: each room's `seq` only rises, so anything at or
// below the last one seen is a repeat (a resume's history may overlap).
function addMessages(messages) {
  const fresh = [];
  for (const message of messages) {
    if (!Number.isInteger(message.seq) || message.seq <= state.log.lastSeq) continue;
    state.log.lastSeq = message.seq;
    const from = message.from ?? {};
    fresh.push({
      seq: message.seq,
      from: { id: String(from.id ?? ''), name: String(from.name ?? ''), role: from.role },
      text: String(message.text ?? ''),
      ts: message.ts,
    });
  }
  state.log.messages.push(...fresh);
  const extra = state.log.messages.length - state.limits.history;
  if (extra > 0) state.log.messages.splice(0, extra);
  view.appendMessages(fresh, isOwn);
}

function renderMembers() {
  view.renderMembers([...state.members.values()], state.myId);
}

function isOwn(message) {
  return state.myIds.has(message.from.id);
}

function rememberId(id) {
  state.myIds.delete(id);
  state.myIds.add(id);
  const ids = [...state.myIds].slice(-KEPT_IDS);
  state.myIds = new Set(ids);
  save('ids', ids);
}

function joinPrefill(previous = state.want) {
  const fromUrl = new URLSearchParams(window.location.search).get('room');
  return {
    room: previous?.slug ?? fromUrl ?? 'demo',
    name: previous?.name ?? '',
    code: previous?.code ?? '',
  };
}

function codePoints(text) {
  return [...text].length;
}

function asArray(value) {
  return Array.isArray(value) ? value : [];
}
