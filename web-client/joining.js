// Finding and entering a circle: the lobby's list, the form for a circle by
// its name, the join itself (again after a reconnect), the waiting room,
// the agreement a circle asks to accept, and leaving, or being put out.

import { strings, format, errorText, currentLanguage } from './strings.js';
import { socketUrl } from './connection.js';
import { save } from './session.js';
import * as view from './view.js';
import { fetchCircles } from './lobby.js';
import { showCircles } from './lobby_view.js';
import { agreementOf } from './circle.js';
import { showAgreementScreen } from './agreement_screen.js';

const SLUG = /^[a-z0-9-]{1,32}$/;
const CODE_MAX = 128;
export const JOIN_REF = 'join';

let app = null;

// context: state (app.js), connection, memberGone(id) when another member is
// taken out, forget() tidies what the circle left behind (rules,
// moderation, outbox, moments).
export function initJoining(context) {
  app = context;
}

export function joinClicked(fields) {
  const { state } = app;
  const slug = fields.room.trim().toLowerCase();
  const name = fields.name.trim();
  const code = fields.code.trim();
  if (!SLUG.test(slug)) {
    view.showStatus(strings.badSlug, 'error');
    return;
  }
  if (codePoints(name.normalize('NFC')) > state.limits.name) { // the server counts the NFC form
    view.showStatus(format(strings.nameTooLong, { max: state.limits.name }), 'error');
    return;
  }
  if (codePoints(code) > CODE_MAX) {
    view.showStatus(errorText('too_long'), 'error');
    return;
  }
  state.want = { slug, name, code };
  state.focusOnJoin = true;
  save('want', state.want);
  view.showStatus(strings.joining, 'join');
  if (app.connection.url !== socketUrl(window.location, slug)) {
    // Another circle's path (or /ws): open this circle's; welcome sends the join.
    app.connection.restart();
    return;
  }
  joinWanted();
}

// Sends the join the user chose, unless it is in or on its way. The
// agreement's language is the interface's.
export function joinWanted() {
  const { state } = app;
  if (!state.want || state.inRoom || state.joinSent) return;
  const frame = { type: 'join', room: state.want.slug, lang: currentLanguage().code, ref: JOIN_REF };
  if (state.want.name) frame.name = state.want.name;
  if (state.want.code) frame.code = state.want.code;
  if (state.want.agree) frame.agree = true;
  state.joinSent = app.connection.send(frame);
}

// The join was refused (or the moderator at the door said no).
export function joinFailed(code, values = {}, reason = undefined, frame = {}) {
  const { state } = app;
  state.joinSent = false;
  if (code === 'already_joined') {
    if (state.waiting) showWaiting(); // still at the door after a reconnect
    return;
  }
  const agreement = agreementOf(frame.agreement);
  if (code === 'agreement_required' && agreement && state.want) {
    view.clearStatus('join');
    askAgreement(agreement);
    return;
  }
  const tried = state.want;
  state.want = null;
  state.waiting = false;
  save('want', null);
  view.showJoin(joinPrefill(tried));
  view.showStatus(errorText(code, values, reason), 'error');
}

// The circle asks its newcomers to accept its agreement first.
function askAgreement(agreement) {
  const { state } = app;
  const wanted = state.want;
  const listed = state.circles.find((circle) => circle.slug === wanted.slug);
  showAgreementScreen(agreement, String(listed?.title || wanted.slug), {
    accept: () => {
      if (state.want !== wanted) return;
      state.want = { ...wanted, agree: true };
      save('want', state.want);
      view.showStatus(strings.joining, 'join');
      joinWanted();
    },
    back: () => {
      if (state.want === wanted) forgetCircle();
    },
  });
}

// The room has a waiting room: a moderator lets the user in (`joined`) or not (`denied`).
export function onWaiting(frame) {
  const { state } = app;
  if (frame.room !== state.want?.slug || state.inRoom) return;
  state.waiting = true;
  showWaiting();
}

function showWaiting() {
  view.showStatus(strings.waitingRoom, 'join', { label: strings.cancel, run: leaveRoom });
}

export function leaveRoom() {
  const { state } = app;
  if (!state.want) return;
  if (state.inRoom || state.waiting) app.connection.send({ type: 'leave', room: state.want.slug });
  forgetCircle();
}

// A moderator takes someone out of the circle, or ends it.
export const putOutHandlers = {
  removed: (frame) => {
    if (!taken(frame)) return;
    const said = typeof frame.reason === 'string' && frame.reason.trim() !== '';
    putOut(said ? format(strings.removedYouSaying, { reason: frame.reason }) : strings.removedYou);
  },
  banned: (frame) => {
    if (taken(frame)) putOut(frame.scope === 'server' ? strings.bannedYouServer : strings.bannedYou);
  },
  ended: (frame) => {
    if (frame.room === app.state.want?.slug) putOut(strings.ended);
  },
};

// Whether `frame` takes the user out of the circle on screen; another member
// it takes out is gone from the list.
function taken(frame) {
  const { state } = app;
  if (frame.room !== state.want?.slug) return false;
  if (frame.member === state.myId) return true;
  app.memberGone(frame.member);
  return false;
}

// The user was taken out of the circle (or it ended): say so kindly, and
// do not join again by oneself.
export function putOut(text) {
  forgetCircle();
  view.showStatus(text, 'notice');
}

export function forgetCircle() {
  const { state } = app;
  const left = state.want;
  state.want = null;
  state.log = null;
  state.inRoom = false;
  state.joinSent = false;
  state.waiting = false;
  state.members.clear();
  save('want', null);
  save('log', null);
  app.forget();
  view.clearLog();
  view.clearStatus();
  view.showJoin(joinPrefill(left));
  refreshLobby();
}

// The directory's circles on the join screen; a circle named in the link
// (?room=) that it does not list opens the form for a circle by its name.
export async function refreshLobby() {
  const { state } = app;
  try {
    state.circles = await fetchCircles();
  } catch {
    state.circles = [];
  }
  showLobby();
}

export function showLobby() {
  const { state } = app;
  showCircles(state.circles, circleChosen);
  const named = new URLSearchParams(window.location.search).get('room');
  const listed = state.circles.some((circle) => circle.slug === named);
  if (state.circles.length === 0 || (named && !listed)) view.openOtherCircle(named ?? 'demo', 'room');
}

function circleChosen({ slug, needsCode }) {
  if (needsCode) {
    view.openOtherCircle(slug, 'code');
    view.showStatus(strings.lobby.codeNeeded, 'join');
    return;
  }
  joinClicked({ room: slug, name: document.getElementById('name').value, code: '' });
}

export function joinPrefill(previous = app.state.want) {
  const fromUrl = new URLSearchParams(window.location.search).get('room');
  return {
    room: previous?.slug ?? fromUrl ?? 'demo',
    name: previous?.name ?? '',
    code: previous?.code ?? '',
  };
}

export function codePoints(text) {
  return [...text].length;
}
