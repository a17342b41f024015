// The way out at once, on every screen: the Quick exit button, or Escape
// pressed twice. Someone may walk in on a participant: the page leaves the
// circle, forgets this tab's conversation (sessionStorage), empties itself
// and puts a blank page in place of its entry in the tab's history, so that
// Back does not bring it back. The device key and the chosen language stay
// (localStorage); they say nothing of what was said.

const TWICE_WITHIN_MS = 1000;

// leave(): tell the server, if in a circle, and close the socket.
export function initQuickExit({ button, leave }) {
  let lastEscape = -Infinity;
  button.addEventListener('click', () => exit(leave));
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || event.repeat) return;
    const now = performance.now();
    if (now - lastEscape <= TWICE_WITHIN_MS) exit(leave);
    else lastEscape = now;
  });
}

function exit(leave) {
  try {
    leave();
  } catch {
    // Whatever the socket's state, the page still goes.
  }
  try {
    window.sessionStorage.clear();
  } catch {
    // Storage disabled: there is nothing in it.
  }
  document.title = '';
  document.body.replaceChildren();
  window.location.replace('about:blank');
}
