// The messages typed here that the server has not taken yet, under the log:
// "Sending…" until the server echoes one (then it is in the log, marked
// sent), or "Not sent" with Try again and Remove when the server refused it.

import { strings } from './strings.js';
import { textPara, tag, scrollToEnd } from './view.js';
import { actionButton } from './menus.js';

const els = { outbox: document.getElementById('outbox') };

export function appendPending(text) {
  const item = document.createElement('li');
  item.className = 'message own pending';
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.append(tag('sending', strings.sending));
  item.append(meta, textPara(text));
  els.outbox.append(item);
  scrollToEnd();
  return item;
}

export function removePending(item) {
  item.remove();
}

// retry() sends it again; remove() gives it up.
export function markNotSent(item, { retry, remove }) {
  item.classList.add('not-sent');
  const meta = item.querySelector('.meta');
  const again = actionButton(strings.outbox.retry, retry);
  const drop = actionButton(strings.outbox.remove, remove);
  meta.replaceChildren(tag('not-sent-tag', strings.outbox.notSent), again, drop);
}

export function markSending(item) {
  item.classList.remove('not-sent');
  item.querySelector('.meta').replaceChildren(tag('sending', strings.sending));
}
