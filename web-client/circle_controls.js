// For those who run a circle (moderators, admins, a peer-led circle's
// facilitator): the talking piece (start a round with a prompt, skip its
// holder, end it, give the piece to someone), the phases, a pause for
// everyone, hands lowered and the floor. The server checks each request;
// these buttons only spare errors.

import { strings, format } from './strings.js';
import { nextPhase, isPaused } from './circle.js';

const PAUSE_SECONDS = 60;
const byId = (id) => document.getElementById(id);
const els = {
  roundForm: byId('round-form'),
  prompt: byId('round-prompt-text'),
  skip: byId('round-skip'),
  end: byId('round-end'),
  phase: byId('phase-next'),
  pause: byId('mod-pause'),
};

let ctx = null;

// context: circle (circle.js state), act(request, done?) sends with the room
// and a ref, mode() the room's mode, nameOf(id), ask(owner, button, action)
// asks before a step that can't be undone.
export function initCircleControls(context) {
  ctx = context;
  els.roundForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const prompt = els.prompt.value.trim();
    ctx.act(prompt === '' ? { type: 'round_start' } : { type: 'round_start', prompt }, () => { els.prompt.value = ''; });
  });
  els.skip.addEventListener('click', () => ctx.act({ type: 'round_skip' }));
  els.end.addEventListener('click', () => ctx.act({ type: 'round_end' }));
  els.phase.addEventListener('click', () => {
    const phase = nextPhase(ctx.circle);
    if (phase === '') return;
    // Closing ends the session for everyone: asked first, in red.
    if (phase === 'closed') {
      ctx.ask(els.phase.parentElement, els.phase, {
        confirm: { question: strings.flow.closeQuestion, button: strings.flow.closeConfirm, danger: true },
        run: () => ctx.act({ type: 'phase', phase }),
      });
    } else {
      ctx.act({ type: 'phase', phase });
    }
  });
  els.pause.addEventListener('click', () => ctx.act({
    type: 'pause', seconds: isPaused(ctx.circle) ? 0 : PAUSE_SECONDS,
  }));
}

// The controls as the circle now is.
export function refreshControls() {
  const { round } = ctx.circle;
  els.roundForm.hidden = round !== null;
  els.skip.hidden = round === null;
  els.end.hidden = round === null;
  if (round) els.skip.textContent = format(strings.flow.skip, { name: ctx.nameOf(round.holder) });
  const phase = nextPhase(ctx.circle);
  els.phase.hidden = phase === '';
  els.phase.textContent = phase === '' ? '' : format(strings.flow.nextPhase, { phase: strings.phases[phase] });
  els.phase.classList.toggle('danger', phase === 'closed');
  els.pause.textContent = isPaused(ctx.circle) ? strings.flow.endPause : strings.flow.pause;
}

// What a runner may do with a member: lower its hand, give it the piece or
// the floor, and (a participant) check in with it privately.
export function flowActions(member) {
  const actions = [];
  const { circle } = ctx;
  if (circle.hands.has(member.id)) {
    actions.push({ label: strings.flow.lowerHand, run: () => ctx.act({ type: 'hand', up: false, member: member.id }) });
  }
  if (circle.round && circle.round.holder !== member.id && !circle.away.has(member.id)) {
    actions.push({ label: strings.flow.givePiece, run: () => ctx.act({ type: 'round_give', member: member.id }) });
  }
  if (ctx.mode() === 'moderated' && circle.floor !== member.id && member.role === 'participant') {
    actions.push({ label: strings.flow.giveFloor, run: () => ctx.act({ type: 'floor', member: member.id }) });
  }
  if (ctx.mode() === 'moderated' && circle.floor === member.id) {
    actions.push({ label: strings.flow.takeFloor, run: () => ctx.act({ type: 'floor' }) });
  }
  return actions;
}
