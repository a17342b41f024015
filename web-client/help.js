// The help lines, one button away on every screen: the places a member can
// call, as the server's deployment lists them (welcome.resources), and the
// reminder that Kring is not an emergency service, in the reader's language.
// In a circle, "Tell the moderators I need help" alerts its moderators
// privately (never with words) and says whether one was there to be told.
import { strings, languageList } from './strings.js';

const els = {
  button: document.getElementById('help-button'),
  box: document.getElementById('help'),
  notice: document.getElementById('help-notice'),
  lines: document.getElementById('help-lines'),
  close: document.getElementById('help-close'),
  askBox: document.getElementById('help-ask-box'),
  ask: document.getElementById('help-ask'),
  answer: document.getElementById('help-answer'),
};

let resources = { lines: [], notice: '' };
let ctx = { room: () => '', send: () => false };

// context: room() the circle the reader is in ('' when none), send(frame) -> bool.
export function initHelp(context) {
  ctx = context;
  els.button.addEventListener('click', () => (els.box.hidden ? open() : close()));
  els.close.addEventListener('click', close);
  els.ask.addEventListener('click', () => {
    const room = ctx.room();
    if (room === '') return;
    const sent = ctx.send({ type: 'help', room, ref: 'help' });
    showAnswer(sent ? strings.help.asking : strings.connection.reconnecting);
  });
}

export const helpHandlers = {
  help_sent: (frame) => {
    setResources(frame.resources);
    showAnswer(frame.reached === true ? strings.help.reached : strings.help.noModerator);
  },
  // What the reader wrote sounded like they may be in danger: the lines, gently.
  help_offered: (frame) => {
    setResources(frame.resources);
    if (els.box.hidden) open();
    showAnswer(strings.help.offered);
  },
};

function showAnswer(text) {
  els.answer.textContent = text;
  els.answer.hidden = false;
}

// The deployment's list, from welcome (or a `resources` answer).
export function setResources(given) {
  if (given && Array.isArray(given.lines)) resources = { lines: given.lines, notice: String(given.notice ?? '') };
  if (!els.box.hidden) show();
}

// The open list follows a change of language.
export function refresh() {
  if (!els.box.hidden) show();
}

function open() {
  show();
  els.box.hidden = false;
  els.button.setAttribute('aria-expanded', 'true');
  els.close.focus();
}

function close() {
  els.box.hidden = true;
  els.button.setAttribute('aria-expanded', 'false');
  els.button.focus();
}

function show() {
  els.askBox.hidden = ctx.room() === '';
  if (els.askBox.hidden) els.answer.hidden = true;
  els.notice.textContent = strings.help.notices[resources.notice] ?? strings.help.notices.not_an_emergency_service;
  els.lines.replaceChildren(...resources.lines.map(lineItem));
}

function lineItem(line) {
  const item = document.createElement('li');
  const name = document.createElement('strong');
  name.dir = 'auto';
  name.textContent = String(line.name ?? '');
  const number = document.createElement('a');
  number.className = 'help-number';
  number.dir = 'ltr';
  number.href = `tel:${String(line.number ?? '').replace(/[^0-9+]/g, '')}`;
  number.textContent = String(line.number ?? '');
  item.append(name, ' ', number);
  for (const text of [String(line.hours ?? ''), languagesOf(line.languages)]) {
    if (text === '') continue;
    const detail = document.createElement('p');
    detail.dir = 'auto';
    detail.textContent = text;
    item.append(detail);
  }
  if (typeof line.url === 'string' && /^https?:\/\//.test(line.url)) {
    const site = document.createElement('a');
    site.href = line.url;
    site.rel = 'noreferrer';
    site.dir = 'ltr';
    site.textContent = line.url;
    item.append(site);
  }
  return item;
}

function languagesOf(codes) {
  if (!Array.isArray(codes) || codes.length === 0) return '';
  if (codes.includes('all')) return strings.help.allLanguages;
  return languageList(codes);
}
