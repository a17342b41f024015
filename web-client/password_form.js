// The form where a moderator chooses her own password: after a login with a
// one-time password (the server sent `choose_password`, and nothing else
// works until she has chosen), or later, to change it with the current one.
// It knows nothing of logins: moderator.js opens it and hears the answer
// (`logged_in`, as after any login). The server checks every rule;
// password_check.js says the same before a round trip.

import { strings, format } from './strings.js';
import { passwordProblem, limitsOf, DEFAULT_LIMITS } from './password_check.js';

export const SET_PASSWORD_REF = 'set-password';

const byId = (id) => document.getElementById(id);
const els = {
  box: byId('password-box'),
  title: byId('password-title'),
  intro: byId('password-intro'),
  form: byId('password-form'),
  currentLabel: byId('password-current-label'),
  current: byId('password-current'),
  password: byId('password-new'),
  repeat: byId('password-repeat'),
  problem: byId('password-problem'),
  cancel: byId('password-cancel'),
};

let ctx = null;   // send(frame) -> bool, cancelFirst(): back out of a first login
let mode = null;  // null (closed), 'first' (after a one-time password) or 'change'
let name = '';
let limits = DEFAULT_LIMITS;

export function initPasswordForm(context) {
  ctx = context;
  els.form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  els.cancel.addEventListener('click', () => {
    const first = mode === 'first';
    close();
    if (first) ctx.cancelFirst();
  });
}

// The server asks for a new password: the one just used was one-time.
export function askFirst(frame) {
  name = String(frame.name ?? '');
  limits = limitsOf(frame, limits);
  open('first');
}

// A logged-in moderator wants to change hers.
export function askChange(who) {
  name = who;
  open('change');
}

export function isFirst() {
  return mode === 'first';
}

export function close() {
  mode = null;
  els.box.hidden = true;
  for (const input of [els.current, els.password, els.repeat]) input.value = '';
  showProblem(null);
}

// An error that answers set_password: true when this form shows it.
export function onError(frame) {
  if (frame.ref !== SET_PASSWORD_REF || mode === null) return false;
  if (frame.code === 'bad_password') {
    limits = limitsOf(frame, limits);
    showProblem(String(frame.reason));
    return true;
  }
  if (frame.code === 'auth_failed' && mode === 'change') {
    // A wrong current password (an ended login is closed with 4003 as well).
    els.current.value = '';
    showProblem('wrong_current');
    return true;
  }
  close();
  return false;
}

function open(newMode) {
  mode = newMode;
  const first = mode === 'first';
  els.title.textContent = first ? strings.choosePasswordTitle : strings.changePasswordTitle;
  els.intro.textContent = format(first ? strings.choosePasswordIntro : strings.changePasswordIntro,
    { name, min: limits.min });
  els.currentLabel.hidden = first;
  els.current.hidden = first;
  els.current.value = '';
  els.password.value = '';
  els.repeat.value = '';
  showProblem(null);
  els.box.hidden = false;
  (first ? els.password : els.current).focus();
}

function submit() {
  const password = els.password.value;
  const problem = passwordProblem({ password, repeat: els.repeat.value, name, limits });
  if (problem !== null) {
    showProblem(problem);
    return;
  }
  const frame = { type: 'set_password', password, ref: SET_PASSWORD_REF };
  if (mode === 'change') frame.current = els.current.value;
  showProblem(ctx.send(frame) ? null : 'offline');
}

function showProblem(reason) {
  els.problem.hidden = reason === null;
  if (reason === null) {
    els.problem.textContent = '';
    return;
  }
  const problems = strings.passwordProblems;
  const text = Object.hasOwn(problems, reason) ? problems[reason] : problems.other;
  els.problem.textContent = format(text, limits);
}
