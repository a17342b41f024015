// Messages typed here that the server has not echoed yet. They show as
// "Sending…"; after a reconnect they are sent again once the circle is joined,
// unless the history shows they arrived before the drop. One the server
// refused stays, marked not sent, until it is sent again or removed: nothing
// typed is lost without a word. It touches no page itself: its view
// (outbox_view.js on the page) draws each message, so node tests it.

const pending = new Map(); // say ref -> {text, afterSeq, sent, failed, element}
let nextRef = 1;
let ctx = { send: () => false, isMine: () => false };
let view = null;

// send(frame) -> bool sends now if the circle is joined; isMine(message)
// tells the user's own; drawn by {appendPending, removePending, markNotSent, markSending}.
export function initOutbox({ send, isMine, drawn }) {
  ctx = { send, isMine };
  view = drawn;
}

// How many wait, and how many of them the server refused.
export function counts() {
  const items = [...pending.values()];
  return { waiting: items.length, notSent: items.filter((item) => item.failed).length };
}

// afterSeq: the last seq seen when the text was typed.
export function queue(slug, text, afterSeq) {
  const ref = `s${nextRef}`;
  nextRef += 1;
  const item = { slug, text, afterSeq, sent: false, failed: false, element: view.appendPending(text) };
  pending.set(ref, item);
  sendOne(ref, item);
}

// The server echoed the message with this ref.
export function echoed(ref) {
  const item = pending.get(ref);
  if (!item) return;
  view.removePending(item.element);
  pending.delete(ref);
}

// The server refused the message with this ref (false: it was none of
// these). giveBack(text) may take its text back into the message box (true);
// else it stays here, marked not sent.
export function refused(ref, giveBack) {
  const item = pending.get(ref);
  if (!item) return false;
  if (giveBack(item.text)) {
    echoed(ref);
    return true;
  }
  item.failed = true;
  view.markNotSent(item.element, {
    retry: () => {
      item.failed = false;
      item.sent = false;
      view.markSending(item.element);
      sendOne(ref, item);
    },
    remove: () => echoed(ref),
  });
  return true;
}

// The circle was joined again (history: what the server sent with `joined`).
export function rejoined(history) {
  for (const [ref, item] of pending) {
    if (item.failed) continue;
    const arrived = item.sent && history.some((message) => message.seq > item.afterSeq
      && ctx.isMine(message) && message.text === item.text);
    if (arrived) echoed(ref);
    else sendOne(ref, item);
  }
}

export function clear() {
  pending.clear();
}

function sendOne(ref, item) {
  const sent = ctx.send({ type: 'say', room: item.slug, text: item.text, ref });
  item.sent = item.sent || sent;
}
