// Every text the interface shows comes from a catalog: i18n/<code>.json, one
// per language, English the source (README.md, "Languages"). This module holds the
// catalog in use and formats its entries; it touches no page, so that node's
// own test runner can try it.
//
// An entry is a whole sentence with placeholders in braces ({name}), never
// glued from pieces. An entry that holds a count is an object: `count` names
// the placeholder, and one text per plural category of the language
// (Intl.PluralRules: Arabic has zero, one, two, few, many and other), and
// `none` where the count may be unknown.

// The languages offered, each named in its own script.
export const languages = [
  { code: 'nl', name: 'Nederlands', dir: 'ltr' },
  { code: 'fr', name: 'Français', dir: 'ltr' },
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
  { code: 'fa', name: 'فارسی / دری', dir: 'rtl' },
  { code: 'ps', name: 'پښتو', dir: 'rtl' },
  { code: 'ti', name: 'ትግርኛ', dir: 'ltr' },
  { code: 'uk', name: 'Українська', dir: 'ltr' },
  { code: 'ru', name: 'Русский', dir: 'ltr' },
  { code: 'tr', name: 'Türkçe', dir: 'ltr' },
];

export const SOURCE_LANGUAGE = 'en';

// Tags a browser may give for one of them: Dari reads the Persian catalog;
// Northern, Southern and Central Pashto the Pashto one.
const ALIASES = { prs: 'fa', pbt: 'ps', pbu: 'ps', pst: 'ps' };

// The first of the reader's languages (navigator.languages) that Kring
// speaks; English if none.
export function chooseLanguage(preferred = []) {
  for (const tag of preferred) {
    const primary = String(tag).toLowerCase().split(/[-_]/)[0];
    const code = ALIASES[primary] ?? primary;
    if (languageNamed(code)) return code;
  }
  return SOURCE_LANGUAGE;
}

export function languageNamed(code) {
  return languages.find((language) => language.code === code) ?? null;
}

// The texts of the catalog in use, by key; filled by useCatalog.
export const strings = {};

let current = languageNamed(SOURCE_LANGUAGE);
let plurals = new Intl.PluralRules(current.code);
let numbers = new Intl.NumberFormat(current.code);

// Makes `catalog` (a parsed i18n/<code>.json) the one in use; returns its
// language ({code, name, dir}).
export function useCatalog(catalog) {
  const language = languageNamed(catalog?._meta?.language) ?? languageNamed(SOURCE_LANGUAGE);
  for (const key of Object.keys(strings)) delete strings[key];
  for (const [key, value] of Object.entries(catalog ?? {})) {
    if (key !== '_meta') strings[key] = value;
  }
  current = language;
  plurals = new Intl.PluralRules(language.code);
  numbers = new Intl.NumberFormat(language.code);
  return language;
}

export function currentLanguage() {
  return current;
}

// Reads i18n/<code>.json from the server.
export async function fetchCatalog(code, fetchFile = fetch) {
  const response = await fetchFile(`i18n/${code}.json`);
  if (!response.ok) throw new Error(`catalog ${code}: HTTP ${response.status}`);
  return response.json();
}

// An entry with its placeholders filled from `values`; numbers are written
// the language's way.
export function format(entry, values = {}) {
  const template = typeof entry === 'string' ? entry : pluralForm(entry, values);
  return template.replace(/\{(\w+)\}/g, (whole, key) => (Object.hasOwn(values, key) ? shown(values[key]) : whole));
}

function pluralForm(entry, values) {
  if (entry === null || typeof entry !== 'object') return '';
  const count = values[entry.count];
  if (typeof count !== 'number' || !Number.isFinite(count)) return entry.none ?? entry.other ?? '';
  return entry[plurals.select(count)] ?? entry.other ?? '';
}

function shown(value) {
  return typeof value === 'number' ? numbers.format(value) : String(value);
}

// Languages by their tags ("nl", "ar"), named and listed the interface's
// way: "Dutch and Arabic", "الهولندية والعربية".
export function languageList(codes) {
  const names = new Intl.DisplayNames([current.code], { type: 'language', fallback: 'code' });
  const named = codes.map((code) => {
    try {
      return names.of(String(code));
    } catch {
      return String(code);
    }
  });
  return new Intl.ListFormat(current.code, { type: 'conjunction' }).format(named);
}

// A moment in the interface's language: the time alone if it is today.
export function timeText(ms, now = Date.now()) {
  const date = new Date(ms);
  const sameDay = date.toDateString() === new Date(now).toDateString();
  const options = sameDay
    ? { hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(current.code, options).format(date);
}

// values fills placeholders such as {seconds} from the error frame; reason,
// the frame's `reason`, says which rule a refused display name broke.
export function errorText(code, values = {}, reason = undefined) {
  const aboutName = code === 'bad_name' || code === 'too_long';
  if (aboutName && typeof reason === 'string' && Object.hasOwn(strings.nameErrors, reason)) {
    return format(strings.nameErrors[reason], values);
  }
  return Object.hasOwn(strings.errors, code)
    ? format(strings.errors[code], values)
    : format(strings.errors.other, { code });
}

export function roleText(role) {
  if (typeof role !== 'string') return '';
  return Object.hasOwn(strings.roles, role) ? strings.roles[role] : role;
}
