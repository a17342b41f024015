// What the reader writes: the message box (its counter, Enter to send, the
// outbox that keeps a message until the server has it) and the report on
// someone else's message, thanked for once the server has it.

import { strings, format } from './strings.js';
import * as view from './view.js';
import * as outbox from './outbox.js';
import { codePoints } from './joining.js';

const REPORT_REF = 'report';
const THANKS_SHOWN_MS = 6000;

let app = null;

// context: state (app.js), connection, messageActions(message) (a moderator's).
export function initComposer(context) {
  app = context;
}

export function sendDraft() {
  const { state } = app;
  const text = view.draft().trim();
  if (text === '' || !state.want || !state.log) return;
  view.clearStatus('error');
  if (codePoints(text) > state.limits.text) {
    view.showStatus(format(strings.textTooLong, { max: state.limits.text }), 'error');
    return;
  }
  outbox.queue(state.want.slug, text, state.log.lastSeq);
  view.setDraft('');
  updateCounter();
  view.focusDraft();
}

export function updateCounter() {
  view.setCounter(codePoints(view.draft()), app.state.limits.text);
}

// A refused message goes back into an empty message box, to be changed or
// sent again; else it stays under the log, marked not sent.
export function refused(ref) {
  outbox.refused(ref, (text) => {
    if (view.draft().trim() !== '') return false;
    view.setDraft(text);
    updateCounter();
    return true;
  });
}

// A moderator's actions on a message, or for everyone a report on someone else's.
export function messageMenu(message) {
  const actions = app.messageActions(message);
  if (actions.length > 0 || isOwn(message) || message.id === '') return actions;
  return [{
    label: strings.report,
    confirm: { question: strings.reportQuestion, button: strings.reportSend, reason: strings.reportReason },
    run: (reason) => sendReport(message, reason),
  }];
}

export function isOwn(message) {
  return app.state.myIds.has(message.from.id);
}

// The server has the report (`ok` with its ref): true when it was this.
export function reportTaken(ref) {
  if (ref !== REPORT_REF) return false;
  view.showStatus(strings.reportThanks, 'thanks');
  setTimeout(() => view.clearStatus('thanks'), THANKS_SHOWN_MS);
  return true;
}

function sendReport(message, reason) {
  const { state } = app;
  if (!state.log) return;
  const frame = { type: 'report', room: state.log.slug, message: message.id, ref: REPORT_REF };
  if (reason) frame.reason = reason;
  // Said as the connection's state, so that it goes once the connection is back.
  if (!app.connection.send(frame)) view.showStatus(strings.connection.reconnecting, 'connection');
}
