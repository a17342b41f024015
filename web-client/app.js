// Kring's web client: one circle at a time. This file keeps the chat's state
// (which circle, what was seen, what is still being sent) and answers each
// server frame; connection.js owns the socket, view.js the page, joining.js
// the way in and out, circle_events.js the circle's shared moments, rules.js
// what the moderators decided and staff.js (moderator.js, once she logs in)
// what a moderator can do.

import { strings, format, errorText, timeText, currentLanguage, languageNamed } from './strings.js';
import { Connection, socketUrl } from './connection.js';
import { load, save } from './session.js';
import { deviceKey, saveLanguage } from './device.js';
import { firstLanguage, loadLanguage } from './language.js';
import { showConnection } from './connection_status.js';
import {
  initComposer, sendDraft, updateCounter, refused, messageMenu, isOwn, reportTaken,
} from './composer.js';
import * as rules from './rules.js';
import * as moderator from './staff.js';
import * as outbox from './outbox.js';
import * as outboxView from './outbox_view.js';
import { reloadedLog, saveLog, addMessages, noteWhatWasMissed, deleteMessage, drawLogWith } from './chat_log.js';
import * as view from './view.js';
import { initQuickExit } from './quick_exit.js';
import { showCircles } from './lobby_view.js';
import * as help from './help.js';
import { newCircle, runsCircles } from './circle.js';
import * as circleEvents from './circle_events.js';
import { circleHandlers } from './circle_events.js';
import { decorateMessage, marksFor, speaking } from './circle_view.js';
import { initAgreementScreen } from './agreement_screen.js';
import { initPrivateWords, privateHandlers, privateActions } from './private_words.js';
import {
  initJoining, joinClicked, joinWanted, joinFailed, leaveRoom, forgetCircle, refreshLobby, showLobby, putOutHandlers,
  onWaiting, joinPrefill, JOIN_REF,
} from './joining.js';

const DEFAULT_LIMITS = { text: 2000, name: 32, history: 200 };
const RESUME_CHECK_REF = 'resumed';
const KEPT_IDS = 20;

const state = {
  limits: { ...DEFAULT_LIMITS },
  myId: '',
  role: 'participant',     // this connection's: 'participant', 'moderator' or 'admin'
  myIds: new Set(asArray(load('ids'))), // identities this tab had: their messages are "own"
  want: load('want'),      // {slug, name, code}: the circle the user chose; survives reconnects
  log: reloadedLog(load('log')), // {slug, title, myName, lastSeq, messages}: what is shown
  inRoom: false,           // the server confirmed the join on the current connection
  joinSent: false,
  waiting: false,          // the join waits for a moderator to let the user in
  members: new Map(),      // id -> {id, name, role}
  connection: 'connecting', // the socket's state, as connection.js last said
  focusOnJoin: false,       // the reader pressed Join: the message box gets the focus once in
  circles: [],              // what the directory listed when the join screen last showed
  circle: newCircle(),      // hands, the talking piece, phases, reactions (circle.js)
};

// The circle the user chose names the socket's path, so that behind a proxy
// it reaches the node that keeps that circle.
const connection = new Connection(() => socketUrl(window.location, state.want?.slug), {
  onFrame: (frame) => {
    if (Object.hasOwn(handlers, frame.type)) handlers[frame.type](frame);
  },
  onState: connectionChanged,
  helloFields: () => ({ device: deviceKey(), lang: currentLanguage().code, ...moderator.helloFields() }),
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
  ok: onOk,
  waiting: onWaiting,
  deleted: onDeleted,
  ...putOutHandlers,
  ...rules.ruleHandlers,
  ...circleHandlers,
  ...privateHandlers,
  ...help.helpHandlers,
  ...moderator.staffHandlers,
};

const messageOptions = { isOwn, menuFor: messageMenu, decorate: decorateMessage };

start();

// The interface's language first (language.js): the hello names it too, so
// that a new pseudonym comes in it.
async function start() {
  view.setLanguage(await loadLanguage(firstLanguage()));
  drawLogWith(view);
  initComposer({ state, connection, messageActions: (message) => moderator.messageActions(message) });
  view.bind({ join: joinClicked, send: sendDraft, leave: leaveRoom, draftChanged: updateCounter,
    language: languageChosen });
  help.initHelp({
    room: () => (state.inRoom && state.want ? state.want.slug : ''),
    send: (frame) => connection.send(frame),
  });
  initPrivateWords({
    slug: () => (state.log ? state.log.slug : ''),
    myId: () => state.myId,
    role: () => state.role,
    limit: () => state.limits.text,
    send: (frame) => connection.send(frame),
    append: (item) => view.appendItem(item),
  });
  initAgreementScreen();
  initJoining({
    state,
    connection,
    memberGone,
    forget: () => {
      outbox.clear();
      rules.leaveRoom();
      moderator.leaveRoom();
      circleEvents.left();
    },
  });
  circleEvents.initCircleEvents({
    state: state.circle,
    myId: () => state.myId,
    runs: () => runsCircles(state.role),
    nameOf,
    send: (frame) => connection.send(frame),
    notice: (text) => view.appendNotice(text),
    membersChanged: renderMembers,
    speakingChanged: () => rules.refresh(),
  });
  initQuickExit({
    button: document.getElementById('quick-exit'),
    leave: () => {
      if (state.want && (state.inRoom || state.waiting)) connection.send({ type: 'leave', room: state.want.slug });
      connection.stop();
    },
  });
  outbox.initOutbox({
    send: (frame) => state.inRoom && connection.send(frame),
    isMine: (message) => state.myIds.has(message.from?.id),
    drawn: outboxView,
  });
  rules.initRules({
    myId: () => state.myId,
    myRole: () => state.role,
    nameOf,
    changed: () => moderator.refreshPanel(),
    circle: () => speaking(state.myId),
    drawn: view,
  });
  const staffLoading = moderator.initStaff({
    send: (frame) => connection.send(frame),
    slug: () => (state.log ? state.log.slug : ''),
    myId: () => state.myId,
    role: () => state.role,
    loggedIn: ({ role, name }) => {
      state.role = role;
      view.setPseudonym(name);
      view.clearStatus('error');
    },
    loggedOut: () => {
      // The resume token would bring the moderator's identity back: start anew.
      state.role = 'participant';
      save('token', null);
      connection.restart();
    },
    notice: (text) => view.appendNotice(text),
    status: (text, kind) => view.showStatus(text, kind),
    clearStatus: (kind) => view.clearStatus(kind),
    circle: state.circle,
    nameOf,
    reconnectingText: () => strings.connection.reconnecting,
    // What a moderator sees of the circle she is in, once her code has come.
    ready: () => {
      if (state.inRoom) moderator.enterRoom();
      renderMembers();
    },
  });
  if (state.log && state.want?.slug !== state.log.slug) {
    state.log = null;
    save('log', null);
  }
  if (state.want && state.log) {
    view.showChat(state.log.title || state.log.slug, state.log.myName ?? '');
    view.appendMessages(state.log.messages, messageOptions);
  } else {
    view.showJoin(joinPrefill());
  }
  refreshLobby();
  updateCounter();
  window.addEventListener('online', () => connection.retryNow());
  window.addEventListener('offline', () => connection.offline());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') connection.checkAlive();
  });
  // A moderator's tab, reloaded: her code first, so that the circle's
  // messages come with her actions on them.
  await staffLoading;
  connection.start();
}

async function languageChosen(code) {
  if (!languageNamed(code)) return;
  saveLanguage(code);
  view.setLanguage(await loadLanguage(code));
  // The page's own texts, the connection state, the members, the rules and
  // the moderators' panel follow; lines already in the log stay as written.
  view.setConnection(state.connection);
  renderMembers();
  rules.refresh();
  moderator.refreshPanel();
  updateCounter();
  showLobby();
  circleEvents.redrawAll();
  help.refresh();
  // The circle's agreement in the new language (the answer redraws it).
  if (state.inRoom && state.want) connection.send({ type: 'agreement', room: state.want.slug, lang: code });
}

function connectionChanged(connState, retryInMs) {
  state.connection = connState;
  if (connState !== 'connected') {
    state.inRoom = false;
    state.joinSent = false;
    moderator.connectionLost();
  }
  showConnection(connState, retryInMs, { retryNow: () => connection.retryNow(), useHere: () => connection.start() });
}

// ---- server frames ----

function onWelcome(frame) {
  state.limits = { ...DEFAULT_LIMITS, ...(frame.limits ?? {}) };
  state.myId = String(frame.id);
  state.role = typeof frame.role === 'string' ? frame.role : 'participant';
  rememberId(state.myId);
  view.setPseudonym(String(frame.name));
  help.setResources(frame.resources);
  updateCounter();
  moderator.connected();
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
  state.waiting = false;
  const title = typeof room.title === 'string' && room.title !== '' ? room.title : room.slug;
  const history = asArray(frame.history);
  const roomSeq = Number(frame.seq) || 0;
  if (!state.log || state.log.slug !== room.slug) {
    state.log = { slug: room.slug, title, lastSeq: 0, messages: [] };
    view.clearLog();
  } else if (state.log.reloaded) {
    delete state.log.reloaded; // the server sends all it keeps: nothing to note
  } else {
    noteWhatWasMissed(state.log, frame.gap === true, history, roomSeq);
  }
  const you = frame.you ?? {};
  if (you.id) state.myId = String(you.id);
  if (typeof you.role === 'string') state.role = you.role;
  state.log.title = title;
  state.log.myName = String(you.name ?? '');
  addMessages(state.log, history, state.limits.history, messageOptions);
  // Messages a moderator deleted while this page was away.
  for (const id of asArray(frame.deleted)) {
    if (typeof id === 'string') {
      deleteMessage(state.log, id);
      rules.messageDeleted(id);
    }
  }
  state.log.lastSeq = Math.max(state.log.lastSeq, roomSeq);
  saveLog(state.log);

  state.members = new Map(asArray(frame.members).map((member) => [member.id, member]));
  view.showChat(title, state.log.myName);
  circleEvents.entered(frame);
  rules.enterRoom(room);
  moderator.enterRoom();
  renderMembers();
  view.clearStatus('join');
  view.clearStatus('error');
  window.history.replaceState(null, '', `?room=${encodeURIComponent(room.slug)}`);
  outbox.rejoined(history);
  // A join the reader asked for puts them in the message box; a rejoin
  // after a lost connection leaves their focus where it was.
  if (state.focusOnJoin) view.focusDraft();
  state.focusOnJoin = false;
}

function onMessage(frame) {
  if (!state.log || frame.room !== state.log.slug) return;
  outbox.echoed(frame.ref);
  addMessages(state.log, [frame], state.limits.history, messageOptions);
  saveLog(state.log);
}

function onMemberJoined(frame) {
  if (!state.log || frame.room !== state.log.slug || !frame.member) return;
  state.members.set(frame.member.id, frame.member);
  moderator.memberJoined(frame.member.id);
  renderMembers();
  view.appendNotice(format(strings.cameIn, { name: String(frame.member.name ?? '') }));
}

function onMemberLeft(frame) {
  if (!state.log || frame.room !== state.log.slug) return;
  const gone = state.members.get(frame.id);
  state.members.delete(frame.id);
  circleEvents.alsoApply(frame);
  renderMembers();
  if (gone) view.appendNotice(format(strings.wentOut, { name: gone.name }));
}

function onDeleted(frame) {
  if (!state.log || frame.room !== state.log.slug || typeof frame.message !== 'string') return;
  deleteMessage(state.log, frame.message);
  rules.messageDeleted(frame.message);
  circleEvents.alsoApply(frame);
}

function memberGone(id) {
  if (state.members.delete(id)) renderMembers();
}

function onOk(frame) {
  if (!reportTaken(frame.ref)) moderator.onOk(frame.ref);
}

function onError(frame) {
  const values = Number.isFinite(frame.seconds) ? { seconds: frame.seconds } : {};
  // A scheduled circle closed now says when it opens, in the reader's time.
  const opens = frame.next?.opens ?? frame.next?.start;
  if (Number.isFinite(opens)) values.time = timeText(opens);
  const code = frame.code === 'closed' && values.time === undefined ? 'closed_now' : String(frame.code);
  const reason = typeof frame.reason === 'string' ? frame.reason : undefined;
  if (code === 'auth_failed' && !connection.ready) {
    // The saved moderator login is no longer valid; the connection says hello without it.
    moderator.loginRefused();
    view.showStatus(strings.loginExpired, 'error');
    return;
  }
  if (frame.ref === JOIN_REF || (code === 'denied' && state.waiting)) {
    joinFailed(code, { ...values, max: state.limits.name }, reason, frame);
    return;
  }
  if (moderator.onError(frame)) return;
  refused(frame.ref);
  if (code === 'not_in_room') {
    state.inRoom = false;
    joinWanted();
  }
  if (code === 'unsupported_version') connection.stop();
  view.showStatus(errorText(code, values), 'error');
}

// ---- helpers ----

function renderMembers() {
  const menuFor = (member) => [...moderator.memberActions(member), ...privateActions(member)];
  view.renderMembers([...state.members.values()], state.myId, { menuFor, marksFor });
}

function nameOf(id) {
  return state.members.get(id)?.name ?? strings.someone;
}

function rememberId(id) {
  state.myIds.delete(id);
  state.myIds.add(id);
  const ids = [...state.myIds].slice(-KEPT_IDS);
  state.myIds = new Set(ids);
  save('ids', ids);
}

function asArray(value) {
  return Array.isArray(value) ? value : [];
}
