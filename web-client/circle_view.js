// The circle's shared moments on the page: the talking piece with its
// Done and Pass, the raised hand and "just listening", the phase, a pause,
// the agreement and the reactions under each message. circle.js keeps the
// state; this file draws it and hands the member's taps back.

import { strings, format, timeText } from './strings.js';
import { REACTIONS, countsOf, turn, isPaused } from './circle.js';

const byId = (id) => document.getElementById(id);
const els = {
  round: byId('round'),
  roundPrompt: byId('round-prompt'),
  roundHolder: byId('round-holder'),
  roundDone: byId('round-done'),
  roundPass: byId('round-pass'),
  phase: byId('phase-line'),
  pause: byId('pause-line'),
  hand: byId('hand-button'),
  listening: byId('listening-button'),
  gestures: byId('hand-button').parentElement,
  agreementBox: byId('agreement-box'),
  agreementItems: byId('agreement-items'),
  agreementNotice: byId('agreement-notice'),
  log: byId('log'),
};

export const REACTION_SIGNS = {
  heart: '❤️', hug: '🤗', hear_you: '👂', me_too: '🙋', strength: '💪', thank_you: '🙏',
};

let ctx = null;
let pauseTimer = 0;

// context: circle (circle.js state), myId(), runs() (the user runs this
// circle), nameOf(id), send(frame) -> bool, react(messageId, reaction),
// changed() after a pause starts or ends.
export function initCircleView(context) {
  ctx = context;
  els.roundDone.addEventListener('click', () => ctx.send({ type: 'done', room: ctx.circle.slug }));
  els.roundPass.addEventListener('click', () => ctx.send({ type: 'pass', room: ctx.circle.slug }));
  els.hand.addEventListener('click', () => ctx.send({
    type: 'hand', room: ctx.circle.slug, up: !ctx.circle.hands.has(ctx.myId()),
  }));
  els.listening.addEventListener('click', () => ctx.send({
    type: 'listening', room: ctx.circle.slug, on: !ctx.circle.listening.has(ctx.myId()),
  }));
  els.log.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-reaction]');
    if (!button) return;
    const item = button.closest('li[data-id]');
    if (button.dataset.reaction === 'pick') {
      togglePicker(item, button);
    } else {
      item.querySelector('.picker')?.remove();
      ctx.react(item.dataset.id, button.dataset.reaction);
    }
  });
}

// Everything at once: after joining, and when the language changes.
export function showAll() {
  showRound();
  showGestures();
  showPhase();
  showPause();
  showAgreement();
  for (const item of els.log.querySelectorAll('li[data-id]')) showReactions(item.dataset.id);
}

export function showRound() {
  const { round } = ctx.circle;
  els.round.hidden = round === null;
  if (!round) return;
  const mine = turn(ctx.circle, ctx.myId()) === 'mine';
  els.roundPrompt.textContent = round.prompt;
  els.roundPrompt.hidden = round.prompt === '';
  els.roundHolder.textContent = mine ? strings.round.yourTurn
    : format(strings.round.holds, { name: ctx.nameOf(round.holder) });
  els.round.classList.toggle('mine', mine);
  els.roundDone.hidden = !mine;
  els.roundPass.hidden = !mine;
}

// The hand and listening buttons say what a tap will do, and are pressed
// while it is so.
export function showGestures() {
  // Those who run the circle speak when they need to: they have no hand to raise.
  els.gestures.hidden = ctx.runs();
  const up = ctx.circle.hands.has(ctx.myId());
  const listening = ctx.circle.listening.has(ctx.myId());
  els.hand.textContent = up ? strings.gestures.lowerHand : strings.gestures.raiseHand;
  els.hand.setAttribute('aria-pressed', String(up));
  els.listening.textContent = strings.gestures.listening;
  els.listening.setAttribute('aria-pressed', String(listening));
}

export function showPhase() {
  const { phase } = ctx.circle;
  els.phase.hidden = phase === '';
  els.phase.textContent = phase === '' ? '' : format(strings.phases.now, { phase: strings.phases[phase] });
}

// A pause shows its calming line and the time it ends; the page opens the
// send box again by itself when the time is up (the server says so too).
export function showPause() {
  clearTimeout(pauseTimer);
  const { pause } = ctx.circle;
  const on = isPaused(ctx.circle);
  els.pause.hidden = !on;
  if (!on) return;
  const until = format(strings.pause.until, { time: timeText(pause.until) });
  els.pause.textContent = pause.text === '' ? until : `${pause.text} · ${until}`;
  pauseTimer = setTimeout(() => {
    showPause();
    ctx.changed();
  }, Math.min(pause.until - Date.now() + 250, 600_000));
}

export function showAgreement() {
  const { agreement } = ctx.circle;
  els.agreementBox.hidden = agreement === null;
  if (!agreement) return;
  fillAgreement(els.agreementItems, els.agreementNotice, agreement);
}

// The agreement's numbered items into list, its notice into notice; the
// text is in the language the server had (its own lang on the list).
export function fillAgreement(list, notice, agreement) {
  list.lang = agreement.lang;
  list.replaceChildren(...agreement.items.map((text) => {
    const item = document.createElement('li');
    item.dir = 'auto';
    item.textContent = text;
    return item;
  }));
  notice.textContent = agreement.notice;
  notice.hidden = agreement.notice === '';
}

// A moderator points to item `number` of the agreement: the line to show.
export function pointText(number, by) {
  const item = ctx.circle.agreement?.items[number - 1] ?? '';
  return format(strings.agreement.pointed, { name: by, n: number, item });
}

// Why a participant can't speak now because of the circle's moments ('' when
// nothing stops them), and whether the floor or the piece is theirs.
export function speaking(myId) {
  const t = turn(ctx.circle, myId);
  if (isPaused(ctx.circle)) return { blocked: strings.pause.composer, floor: false };
  if (t === 'waiting') {
    return { blocked: format(strings.round.composer, { name: ctx.nameOf(ctx.circle.round.holder) }), floor: false };
  }
  return { blocked: '', floor: t === 'mine' || ctx.circle.floor === myId };
}

// The small marks after a member's name: hand up (with its place in the
// queue, for those who run the circle), just listening, away.
export function marksFor(member) {
  const marks = [];
  // The order hands went up is the moderators' to see (the server sends it to them).
  const place = ctx.runs() ? ctx.circle.queue.indexOf(member.id) : -1;
  if (ctx.circle.hands.has(member.id)) {
    marks.push({ className: 'mark hand', text: place >= 0 ? `✋ ${place + 1}` : '✋', label: strings.gestures.handUp });
  }
  if (ctx.circle.listening.has(member.id)) {
    marks.push({ className: 'mark listening', text: strings.gestures.listeningMark, label: strings.gestures.listeningMark });
  }
  if (ctx.circle.away.has(member.id)) marks.push({ className: 'mark away', text: strings.away, label: strings.away });
  if (ctx.circle.round?.holder === member.id) {
    marks.push({ className: 'mark piece', text: '◉', label: strings.round.holdsMark });
  }
  return marks;
}

// Under a message: its reactions with their counts, and a button that opens
// the six to choose from (appendMessages calls this for each new message).
export function decorateMessage(item, message) {
  if (message.id === '') return;
  const row = document.createElement('div');
  row.className = 'reactions';
  item.append(row);
  fillReactions(row, message.id);
}

export function showReactions(messageId) {
  for (const item of els.log.children) {
    if (item.dataset.id !== messageId) continue;
    const row = item.querySelector('.reactions');
    if (row) fillReactions(row, messageId);
    return;
  }
}

function fillReactions(row, messageId) {
  const counts = countsOf(ctx.circle, messageId);
  const mine = ctx.circle.reactions.get(messageId)?.mine ?? new Set();
  const chips = REACTIONS.filter((reaction) => counts[reaction] > 0).map((reaction) => {
    const chip = reactionButton(reaction, `${REACTION_SIGNS[reaction]} ${counts[reaction]}`);
    chip.setAttribute('aria-label', format(strings.reactions.counted, { reaction: strings.reactions[reaction], count: counts[reaction] }));
    chip.setAttribute('aria-pressed', String(mine.has(reaction)));
    return chip;
  });
  const pick = reactionButton('pick', '♡+');
  pick.setAttribute('aria-label', strings.reactions.add);
  pick.setAttribute('aria-expanded', 'false');
  row.replaceChildren(...chips, pick);
}

function togglePicker(item, button) {
  const open = item.querySelector('.picker');
  for (const picker of els.log.querySelectorAll('.picker')) picker.remove();
  button.setAttribute('aria-expanded', 'false');
  if (open) return;
  const picker = document.createElement('div');
  picker.className = 'picker';
  picker.append(...REACTIONS.map((reaction) => {
    const choice = reactionButton(reaction, REACTION_SIGNS[reaction]);
    choice.setAttribute('aria-label', strings.reactions[reaction]);
    choice.title = strings.reactions[reaction];
    return choice;
  }));
  item.append(picker);
  button.setAttribute('aria-expanded', 'true');
  picker.firstElementChild.focus();
}

function reactionButton(reaction, text) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'reaction';
  button.dataset.reaction = reaction;
  button.textContent = text;
  return button;
}
