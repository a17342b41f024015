// What the moderators decided for the circle on screen, as a member sees it:
// the pinned note, the room's state (lock, waiting room, slow and moderated
// mode) and who is muted. It keeps the send box closed while the user may not
// speak; the server refuses such messages anyway. It touches no page
// itself: it draws through the view it is given (view.js on the page), so
// node tests it.

import { strings, format, timeText } from './strings.js';
import { runsCircles } from './circle.js';
const LONGEST_TIMER_MS = 2 ** 31 - 1;

const rules = {
  slug: '',
  locked: false,
  waiting: false,
  slow: 0,
  mode: 'open',
  pinned: null,      // {message?, text, by}
  muted: new Map(),  // member id -> until (ms) or null for "until unmuted"
};

let me = {
  id: () => '', role: () => 'participant', nameOf: () => '', changed: () => {}, circle: () => ({ blocked: '', floor: false }),
};
let muteTimer = 0;
let view = null;

// myId(), myRole(), nameOf(id) describe the user and the members; changed() is
// called after the rules changed (the moderator's panel shows them too);
// circle() says what the circle's moments allow ({blocked, floor}: a round
// or a pause, and whether the piece or the floor is the user's); drawn
// draws: {setComposerBlocked, setRoomRules, setPinned, appendNotice}.
export function initRules({ myId, myRole, nameOf, changed, circle, drawn }) {
  me = { id: myId, role: myRole, nameOf, changed, circle };
  view = drawn;
}

export const ruleHandlers = {
  muted: onMuted,
  unmuted: onUnmuted,
  pinned: onPinned,
  room_state: onRoomState,
};

export function roomRules() {
  return rules;
}

// room is joined.room; a resume of the same circle keeps who is muted.
export function enterRoom(room) {
  if (room.slug !== rules.slug) forgetMutes();
  rules.slug = room.slug;
  applyState(room);
  showPinned(isPinned(room.pinned) ? room.pinned : null);
  refresh();
}

export function leaveRoom() {
  rules.slug = '';
  applyState({});
  forgetMutes();
  showPinned(null);
  refresh();
}

export function isMuted(id) {
  if (!rules.muted.has(id)) return false;
  const until = rules.muted.get(id);
  return until === null || until > Date.now();
}

// A deleted message can't stay pinned (the server unpins it without saying so).
export function messageDeleted(id) {
  if (rules.pinned?.message === id) {
    showPinned(null);
    me.changed();
  }
}

// The send box follows the rules; call it after the user's role changed.
export function refresh() {
  view.setComposerBlocked(whyNotSpeak());
  view.setRoomRules(ruleTexts());
  me.changed();
}

function onMuted(frame) {
  if (frame.room !== rules.slug || typeof frame.member !== 'string') return;
  const until = Number.isFinite(frame.until) ? frame.until : null;
  rules.muted.set(frame.member, until);
  if (frame.member === me.id()) {
    view.appendNotice(until === null ? strings.mutedYouForNow : format(strings.mutedYouUntil, { time: timeText(until) }));
    watchMyMute();
  } else {
    view.appendNotice(format(strings.mutedOther, { name: me.nameOf(frame.member) }));
  }
  refresh();
}

function onUnmuted(frame) {
  if (frame.room !== rules.slug || typeof frame.member !== 'string') return;
  rules.muted.delete(frame.member);
  if (frame.member === me.id()) {
    clearTimeout(muteTimer);
    view.appendNotice(strings.unmutedYou);
  } else {
    view.appendNotice(format(strings.unmutedOther, { name: me.nameOf(frame.member) }));
  }
  refresh();
}

function onPinned(frame) {
  if (frame.room !== rules.slug) return;
  showPinned(isPinned(frame) ? { message: frame.message, text: frame.text, by: frame.by } : null);
  me.changed();
}

function onRoomState(frame) {
  if (frame.room !== rules.slug) return;
  applyState(frame);
  refresh();
}

function applyState(state) {
  rules.locked = state.locked === true;
  rules.waiting = state.waiting === true;
  rules.slow = Number.isInteger(state.slow) && state.slow > 0 ? state.slow : 0;
  rules.mode = state.mode === 'moderated' ? 'moderated' : 'open';
}

function isPinned(pinned) {
  return pinned !== null && typeof pinned === 'object' && typeof pinned.text === 'string' && pinned.text !== '';
}

function showPinned(pinned) {
  rules.pinned = pinned;
  view.setPinned(pinned ? { text: pinned.text, by: typeof pinned.by === 'string' ? pinned.by : '' } : null);
}

function whyNotSpeak() {
  if (rules.slug === '' || runsCircles(me.role())) return '';
  if (isMuted(me.id())) return strings.composerMuted;
  const circle = me.circle();
  if (circle.blocked !== '') return circle.blocked;
  if (rules.mode === 'moderated' && !circle.floor) return strings.composerModerated;
  return '';
}

function ruleTexts() {
  const texts = [];
  if (rules.mode === 'moderated') texts.push(strings.ruleModerated);
  if (rules.slow > 0) texts.push(format(strings.ruleSlow, { n: rules.slow }));
  if (rules.locked) texts.push(strings.ruleLocked);
  if (rules.waiting) texts.push(strings.ruleWaiting);
  return texts;
}

// A mute with an end opens the send box again by itself: the server sends no event then.
function watchMyMute() {
  clearTimeout(muteTimer);
  const until = rules.muted.get(me.id());
  if (until === null || until === undefined) return;
  const wait = until - Date.now();
  if (wait <= 0) {
    rules.muted.delete(me.id());
    view.appendNotice(strings.unmutedYou);
    refresh();
    return;
  }
  muteTimer = setTimeout(watchMyMute, Math.min(wait + 250, LONGEST_TIMER_MS));
}

function forgetMutes() {
  rules.muted.clear();
  clearTimeout(muteTimer);
}

