// The server's frames about the circle's shared moments (hands, listening,
// presence, the talking piece, phases, a pause, the floor, reactions, the
// agreement): each goes into circle.js, is drawn by circle_view.js, and the
// few that a member should notice leave a gentle line in the log.

import { strings, format } from './strings.js';
import * as circle from './circle.js';
import * as circleView from './circle_view.js';

let ctx = null;
let nextRef = 1;
const reactionRefs = new Map(); // ref of a react -> {message, reaction, on}

// context: state (circle.js), myId(), runs(), nameOf(id), send(frame) -> bool,
// notice(text), membersChanged(), speakingChanged().
export function initCircleEvents(context) {
  ctx = context;
  circleView.initCircleView({
    circle: ctx.state,
    myId: ctx.myId,
    runs: ctx.runs,
    nameOf: ctx.nameOf,
    send: ctx.send,
    react: sendReaction,
    changed: ctx.speakingChanged,
  });
}

const SHARED = ['hand', 'hands', 'listening', 'member_away', 'member_back', 'round', 'round_ended', 'phase',
  'paused', 'unpaused', 'floor', 'reactions', 'agreement'];

export const circleHandlers = {
  ...Object.fromEntries(SHARED.map((type) => [type, onShared])),
  agreement_point: onAgreementPoint,
  nudge: onNudge,
  round_reminder: onRoundReminder,
};

// After `joined`: the circle as the server has it now.
export function entered(joined) {
  circle.enter(ctx.state, joined);
  circleView.showAll();
}

export function left() {
  circle.leave(ctx.state);
  reactionRefs.clear();
  circleView.showAll();
}

// After the language changed.
export function redrawAll() {
  circleView.showAll();
}

// Frames app.js handles too (member_left, deleted) pass here as well.
export function alsoApply(frame) {
  redraw(circle.apply(ctx.state, frame), frame);
}

function onShared(frame) {
  const before = ctx.state.round;
  const changed = circle.apply(ctx.state, frame);
  if (changed === '') return;
  if (frame.type === 'reactions') {
    const mine = reactionRefs.get(frame.ref);
    reactionRefs.delete(frame.ref);
    if (mine) circle.reacted(ctx.state, mine.message, mine.reaction, mine.on);
  }
  noteMoment(frame, before);
  redraw(changed, frame);
}

function redraw(changed, frame) {
  switch (changed) {
    case 'members':
      circleView.showGestures();
      ctx.membersChanged();
      break;
    case 'round':
      circleView.showRound();
      ctx.membersChanged();
      ctx.speakingChanged();
      break;
    case 'phase':
      circleView.showPhase();
      ctx.speakingChanged();
      break;
    case 'pause':
      circleView.showPause();
      ctx.speakingChanged();
      break;
    case 'floor':
      ctx.membersChanged();
      ctx.speakingChanged();
      break;
    case 'reactions':
      circleView.showReactions(String(frame.message ?? ''));
      break;
    case 'agreement':
      circleView.showAgreement();
      break;
    default:
  }
}

// The lines in the log: a round begins and ends, the piece comes to me, the
// circle moves on or pauses, the floor is given.
function noteMoment(frame, roundBefore) {
  const me = ctx.myId();
  switch (frame.type) {
    case 'round':
      if (roundBefore === null) {
        ctx.notice(frame.prompt ? format(strings.round.startedWith, { prompt: frame.prompt }) : strings.round.started);
      }
      if (frame.holder === me && roundBefore?.holder !== me) ctx.notice(strings.round.yourTurnNotice);
      break;
    case 'round_ended':
      ctx.notice(frame.complete === true ? strings.round.complete : strings.round.ended);
      break;
    case 'phase':
      ctx.notice(format(strings.phases.moved, { phase: strings.phases[frame.phase] ?? '' }));
      break;
    case 'paused':
      ctx.notice(frame.text ? format(strings.pause.startedWith, { text: frame.text }) : strings.pause.started);
      break;
    case 'unpaused':
      ctx.notice(strings.pause.ended);
      break;
    case 'floor':
      if (frame.member === me) ctx.notice(strings.floor.yours);
      else if (frame.member) ctx.notice(format(strings.floor.given, { name: ctx.nameOf(frame.member) }));
      break;
    default:
  }
}

function sendReaction(messageId, reaction) {
  const request = circle.reactionRequest(ctx.state, messageId, reaction);
  const ref = `r${nextRef}`;
  nextRef += 1;
  if (ctx.send({ ...request, ref })) reactionRefs.set(ref, { message: messageId, reaction, on: request.on });
}

function onAgreementPoint(frame) {
  if (frame.room !== ctx.state.slug || !Number.isInteger(frame.item)) return;
  ctx.notice(circleView.pointText(frame.item, String(frame.by ?? '')));
}

// A moderator's private reminder: to me, or (for the moderators) to someone.
function onNudge(frame) {
  if (frame.room !== ctx.state.slug) return;
  const item = Number.isInteger(frame.item) ? circleView.pointText(frame.item, String(frame.by ?? '')) : '';
  const text = typeof frame.text === 'string' ? frame.text : '';
  const who = format(frame.member === ctx.myId() ? strings.nudge.toYou : strings.nudge.toOther,
    { by: String(frame.by ?? ''), name: ctx.nameOf(frame.member) });
  ctx.notice([who, item, text].filter((part) => part !== '').join(' — '));
}

function onRoundReminder(frame) {
  if (frame.room !== ctx.state.slug) return;
  const minutes = Math.max(1, Math.round((Number(frame.seconds) || 0) / 60));
  ctx.notice(frame.holder === ctx.myId()
    ? format(strings.round.reminderYou, { minutes })
    : format(strings.round.reminderOther, { name: ctx.nameOf(frame.holder), minutes }));
}
