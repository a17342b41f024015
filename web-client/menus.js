// The one small menu open at a time under a message or a member: the actions
// a "⋯" button offers, and the question asked before a step that can't be
// undone (red when it is destructive), with a line of text where it wants one.

import { strings, format } from './strings.js';

let openMenu = null; // {owner, menu, button}

// A small button that opens, under owner, the actions actionsNow() gives at that moment.
// An action is {label, run(reason)} and may ask first: confirm {question,
// button, reason? (the text box's label), maxLength?, danger?}.
export function menuButton(owner, name, actionsNow) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'more';
  button.textContent = '⋯';
  button.setAttribute('aria-label', format(strings.moreFor, { name }));
  button.setAttribute('aria-expanded', 'false');
  button.addEventListener('click', () => {
    const wasOpen = openMenu?.owner === owner;
    closeMenu();
    if (!wasOpen) showMenu(owner, button, actionsNow());
  });
  return button;
}

// Asks before doing action (see menuButton), in a box under owner, opened by button.
export function askUnder(owner, button, action) {
  const wasOpen = openMenu?.owner === owner;
  closeMenu();
  if (wasOpen) return;
  showMenu(owner, button, []);
  askFirst(openMenu.menu, action);
}

function showMenu(owner, button, actions) {
  const menu = document.createElement('div');
  menu.className = 'menu';
  menu.append(...actions.map((action) => actionButton(action.label, () => {
    if (action.confirm) {
      askFirst(menu, action);
    } else {
      closeMenu();
      action.run('');
    }
  })));
  owner.append(menu);
  button.setAttribute('aria-expanded', 'true');
  openMenu = { owner, menu, button };
  menu.scrollIntoView({ block: 'nearest' });
}

function askFirst(menu, action) {
  const question = document.createElement('p');
  question.className = 'question';
  question.textContent = action.confirm.question;
  const parts = [question];
  let reason = null;
  if (action.confirm.reason) {
    reason = document.createElement('input');
    reason.type = 'text';
    reason.dir = 'auto';
    reason.maxLength = action.confirm.maxLength ?? 500;
    reason.placeholder = action.confirm.reason;
    reason.setAttribute('aria-label', action.confirm.reason);
    parts.push(reason);
  }
  const yes = actionButton(action.confirm.button, () => {
    const why = reason ? reason.value.trim() : '';
    closeMenu();
    action.run(why);
  });
  // What cannot be undone is red, and never the green of a usual step.
  yes.classList.add(action.confirm.danger ? 'danger' : 'primary');
  reason?.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.isComposing) yes.click();
  });
  parts.push(yes, actionButton(strings.cancel, closeMenu));
  menu.replaceChildren(...parts);
  (reason ?? yes).focus();
  menu.scrollIntoView({ block: 'nearest' });
}

export function closeMenu() {
  if (!openMenu) return;
  openMenu.menu.remove();
  openMenu.button.setAttribute('aria-expanded', 'false');
  openMenu = null;
}

// A plain button of the page's: label, what a click does, and its class
// ('primary', 'danger') if any.
export function actionButton(label, run, className = '') {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  if (className) button.className = className;
  button.addEventListener('click', run);
  return button;
}

// A menu inside container that is about to be redrawn is gone with it.
export function forgetMenuIn(container) {
  if (openMenu && container.contains(openMenu.owner)) openMenu = null;
}
