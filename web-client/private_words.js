// A private word between a moderator and one participant of the circle: a
// moderator checks in on someone, and someone answers, or asks a moderator
// for help. Only the two ends see it; it is shown in the log, marked
// private, and kept nowhere: a reload forgets it, as the server does.

import { strings, format, timeText } from './strings.js';
import { askUnder, actionButton } from './menus.js';

const MODERATORS = new Set(['moderator', 'admin']);

let ctx = null;
let nextRef = 1;

// context: slug(), myId(), role(), limit() (the longest text), send(frame) -> bool,
// append(item) puts a line in the log.
export function initPrivateWords(context) {
  ctx = context;
}

export const privateHandlers = { whisper: onWhisper };

// On a member: "Write privately" to a moderator, for a participant; "Check
// in privately" with a participant, for a moderator.
export function privateActions(member) {
  if (member.id === ctx.myId()) return [];
  const mine = ctx.role();
  const toStaff = mine === 'participant' && MODERATORS.has(member.role);
  const checkIn = MODERATORS.has(mine) && member.role === 'participant';
  if (!toStaff && !checkIn) return [];
  return [writeAction(member, checkIn ? strings.private.checkIn : strings.private.write)];
}

// The same, as a button of its own (an alert's "Check in privately").
export function askToWrite(owner, button, member) {
  askUnder(owner, button, writeAction(member, strings.private.checkIn));
}

function writeAction(member, label) {
  return {
    label,
    confirm: {
      question: format(strings.private.to, { name: member.name }),
      button: strings.private.send,
      reason: strings.private.textLabel,
      maxLength: ctx.limit(),
    },
    run: (text) => {
      if (text === '') return;
      ctx.send({ type: 'whisper', room: ctx.slug(), member: member.id, text, ref: `w${nextRef++}` });
    },
  };
}

function onWhisper(frame) {
  if (frame.room !== ctx.slug() || !frame.from || !frame.to) return;
  const mine = frame.from.id === ctx.myId();
  const other = mine ? frame.to : frame.from;
  const item = document.createElement('li');
  item.className = mine ? 'message whisper own' : 'message whisper';
  const meta = document.createElement('div');
  meta.className = 'meta';
  const tag = document.createElement('span');
  tag.className = 'private-tag';
  tag.textContent = strings.private.tag;
  const who = document.createElement('span');
  who.className = 'name';
  who.dir = 'auto';
  who.textContent = format(mine ? strings.private.toName : strings.private.fromName, { name: String(other.name ?? '') });
  const time = document.createElement('time');
  if (Number.isFinite(frame.ts)) {
    time.dateTime = new Date(frame.ts).toISOString();
    time.textContent = timeText(frame.ts);
  }
  meta.append(tag, who, time);
  const text = document.createElement('p');
  text.className = 'text';
  text.dir = 'auto';
  text.textContent = String(frame.text ?? '');
  item.append(meta, text);
  if (!mine) {
    const member = { id: String(other.id), name: String(other.name ?? ''), role: other.role };
    const answer = actionButton(strings.private.answer,
      () => askUnder(item, answer, writeAction(member, strings.private.answer)), 'answer');
    item.append(answer);
  }
  ctx.append(item);
}
