// What survives a page reload in this tab. sessionStorage only: it is gone when
// the tab is closed, which is what a shared phone needs.

const PREFIX = 'kring.';

export function load(key) {
  try {
    const raw = window.sessionStorage.getItem(PREFIX + key);
    return raw === null ? null : JSON.parse(raw);
  } catch {
    return null;
  }
}

export function save(key, value) {
  try {
    if (value === null || value === undefined) {
      window.sessionStorage.removeItem(PREFIX + key);
    } else {
      window.sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
    }
  } catch {
    // Storage full or disabled: the chat still works, only a reload will not resume.
  }
}
