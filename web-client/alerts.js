// For the moderators of a circle: someone there may be in danger. An alert
// says who, and whether they asked (help) or what they wrote held crisis
// words; never the words. It stays in the side panel, through a reload of
// this tab, until a moderator marks it done, with a private check-in one
// tap away.

import { strings, format, timeText } from './strings.js';
import { load, save } from './session.js';
import { askToWrite } from './private_words.js';
import { actionButton } from './menus.js';

const els = {
  box: document.getElementById('alerts'),
  list: document.getElementById('alert-list'),
};

let ctx = { slug: () => '', changed: () => {} };
// {room, member, name, kind, at, waited}; who and when, no words, in this tab only.
let alerts = loadAlerts();

// context: slug(), changed(count) after the list changed.
export function initAlerts(context) {
  ctx = context;
  show();
}

// An `alert` frame: true when it is new (the caller chimes).
export function onAlert(frame) {
  if (frame.room !== ctx.slug() || typeof frame.member !== 'string') return false;
  const kind = frame.kind === 'words' ? 'words' : 'help';
  if (alerts.some((alert) => alert.member === frame.member && alert.kind === kind)) return false;
  alerts.push({
    room: frame.room, member: frame.member, name: String(frame.name ?? ''), kind,
    at: Number.isFinite(frame.at) ? frame.at : Date.now(), waited: frame.waited === true,
  });
  show();
  return true;
}

export function count() {
  return shown().length;
}

// Leaving the circle puts its alerts away.
export function clear() {
  alerts = [];
  show();
}

function shown() {
  return alerts.filter((alert) => alert.room === ctx.slug());
}

function show() {
  save('alerts', alerts.length > 0 ? alerts : null);
  const items = shown().map((alert) => {
    const item = document.createElement('li');
    const text = document.createElement('p');
    text.dir = 'auto';
    text.textContent = format(alert.kind === 'words' ? strings.alerts.words : strings.alerts.help,
      { name: alert.name, time: timeText(alert.at) });
    item.append(text);
    if (alert.waited) {
      const waited = document.createElement('p');
      waited.className = 'waited';
      waited.textContent = strings.alerts.waited;
      item.append(waited);
    }
    const checkIn = actionButton(strings.private.checkIn, () => askToWrite(item, checkIn,
      { id: alert.member, name: alert.name, role: 'participant' }), 'primary');
    const done = actionButton(strings.alerts.done, () => {
      alerts = alerts.filter((other) => other !== alert);
      show();
    });
    item.append(checkIn, done);
    return item;
  });
  els.list.replaceChildren(...items);
  els.box.hidden = items.length === 0;
  ctx.changed(items.length);
}

function loadAlerts() {
  const saved = load('alerts');
  return Array.isArray(saved) ? saved.filter((alert) => typeof alert?.member === 'string') : [];
}
