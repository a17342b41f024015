// What the chat shows of one circle, the log: {slug, title, myName, lastSeq,
// messages}. It draws through the view it is given (view.js on the page:
// appendMessages, appendNotice, removeMessage), so node tests it.

import { strings } from './strings.js';
import { save } from './session.js';

let view = null;

export function drawLogWith(drawn) {
  view = drawn;
}

// Message text never goes to storage, which a browser may write to disk: after
// a reload the page asks the server again for what the circle keeps.
export function saveLog(log) {
  if (!log) return;
  const { slug, title, myName } = log;
  save('log', { slug, title, myName });
}

export function reloadedLog(saved) {
  if (!saved || typeof saved.slug !== 'string') return null;
  return { slug: saved.slug, title: saved.title, myName: saved.myName, lastSeq: 0, messages: [], reloaded: true };
}

// On a rejoin or resume, tell the user when the chat has a hole or started over.
export function noteWhatWasMissed(log, serverSaysGap, history, roomSeq) {
  const seen = log.lastSeq;
  if (roomSeq < seen) {
    // The room's counter went back: the server was restarted and lost its messages.
    view.appendNotice(strings.restarted);
    log.lastSeq = 0;
    return;
  }
  const fresh = history.filter((message) => message.seq > seen);
  const firstNew = fresh.length > 0 ? fresh[0].seq : roomSeq + 1;
  if (serverSaysGap || firstNew > seen + 1) view.appendNotice(strings.gap);
}

// Adds messages not shown yet: each room's `seq` only rises, so anything at or
// below the last one seen is a repeat (a resume's history may overlap).
// options go to view.appendMessages.
export function addMessages(log, messages, limit, options) {
  const fresh = [];
  for (const message of messages) {
    if (!Number.isInteger(message.seq) || message.seq <= log.lastSeq) continue;
    log.lastSeq = message.seq;
    const from = message.from ?? {};
    fresh.push({
      id: String(message.id ?? ''),
      seq: message.seq,
      from: { id: String(from.id ?? ''), name: String(from.name ?? ''), role: from.role },
      text: String(message.text ?? ''),
      ts: message.ts,
    });
  }
  log.messages.push(...fresh);
  const extra = log.messages.length - limit;
  if (extra > 0) log.messages.splice(0, extra);
  view.appendMessages(fresh, options);
}

export function deleteMessage(log, id) {
  log.messages = log.messages.filter((message) => message.id !== id);
  view.removeMessage(id);
}
