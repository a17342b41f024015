// What this device keeps beyond the tab, on purpose, and nothing else: its
// key, made once and sent in every hello (a moderator's ban refers to it;
// the server stores only a keyed hash of it), and the language its reader
// chose, if they chose one.

const KEY = 'kring.device';
const LANGUAGE = 'kring.lang';
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

export function savedLanguage() {
  try {
    const code = window.localStorage.getItem(LANGUAGE);
    return code !== null && /^[a-z]{2,3}$/.test(code) ? code : null;
  } catch {
    return null;
  }
}

export function saveLanguage(code) {
  try {
    window.localStorage.setItem(LANGUAGE, code);
  } catch {
    // Storage disabled: the choice holds for this page only.
  }
}
