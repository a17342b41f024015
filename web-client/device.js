// This device's key: made once, kept in localStorage, sent in every hello.
// It is the one thing this client keeps beyond the tab on purpose: a
// moderator's ban refers to it (the server stores only a keyed hash of it).

const KEY = 'kring.device';
const BYTES = 32;

let key = '';

export function deviceKey() {
  if (key === '') key = storedKey() ?? randomKey();
  return key;
}

function storedKey() {
  try {
    const stored = window.localStorage.getItem(KEY);
    if (stored !== null && /^[A-Za-z0-9_-]{16,128}$/.test(stored)) return stored;
    const made = randomKey();
    window.localStorage.setItem(KEY, made);
    return made;
  } catch {
    return null; // Storage disabled: a key for this page only.
  }
}

function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(BYTES));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
