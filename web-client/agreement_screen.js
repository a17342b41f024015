// The agreement screen: before a circle that asks for it lets a newcomer in,
// its few numbered rules, in the newcomer's language where the circle has
// them, and "I agree and join" or "Back".

import { fillAgreement } from './circle_view.js';

const byId = (id) => document.getElementById(id);
const els = {
  view: byId('agreement-view'),
  heading: byId('agreement-heading'),
  circle: byId('agreement-circle'),
  list: byId('agreement-list'),
  notice: byId('agreement-list-notice'),
  draft: byId('agreement-draft'),
  agree: byId('agree'),
  back: byId('agreement-back'),
  joinView: byId('join-view'),
  chatView: byId('chat-view'),
};

let answer = { accept: () => {}, back: () => {} };

export function initAgreementScreen() {
  els.agree.addEventListener('click', () => {
    hideAgreement();
    answer.accept();
  });
  els.back.addEventListener('click', () => {
    hideAgreement();
    answer.back();
  });
}

// agreement: {lang, review, items, notice} (circle.js agreementOf); title:
// the circle's slug or title; accept() and back() as the member chooses.
export function showAgreementScreen(agreement, title, { accept, back }) {
  answer = { accept, back };
  els.circle.textContent = title;
  fillAgreement(els.list, els.notice, agreement);
  // A translation no native speaker has read yet says so (English is the source).
  els.draft.hidden = !(agreement.review === 'draft' && agreement.lang !== 'en');
  els.joinView.hidden = true;
  els.chatView.hidden = true;
  els.view.hidden = false;
  // Read from the top: the heading has the focus, and Agree comes after the items.
  els.heading.focus();
}

export function hideAgreement() {
  els.view.hidden = true;
}
