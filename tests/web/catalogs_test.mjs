// The web client's catalogs (web-client/i18n/): one per language offered,
// each with every key English has and no other, no placeholder English
// lacks, every plural form its language needs, and an honest review state.
// Run: node --test tests/web/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const root = new URL('../../web-client/', import.meta.url);
const source = readFileSync(new URL('strings.js', root), 'utf8');
const {
  languages, chooseLanguage, useCatalog, currentLanguage, format, errorText, fetchCatalog, timeText, strings,
} = await import('data:text/javascript,' + encodeURIComponent(source));

function catalog(code) {
  return JSON.parse(readFileSync(new URL(`i18n/${code}.json`, root), 'utf8'));
}

const english = catalog('en');
const REVIEW_STATES = ['source', 'draft', 'reviewed'];
const PLURAL_FORMS = ['zero', 'one', 'two', 'few', 'many', 'other', 'none'];

function isPlural(value) {
  return value !== null && typeof value === 'object' && typeof value.count === 'string';
}

// Every entry of a catalog by its dotted key: a text, or a plural entry.
function entries(tree, prefix = '') {
  const out = new Map();
  for (const [key, value] of Object.entries(tree)) {
    if (key === '_meta') continue;
    const name = prefix + key;
    if (typeof value === 'string' || isPlural(value)) {
      out.set(name, value);
    } else {
      for (const [inner, text] of entries(value, `${name}.`)) out.set(inner, text);
    }
  }
  return out;
}

function placeholders(entry) {
  const texts = typeof entry === 'string'
    ? [entry]
    : Object.entries(entry).filter(([form]) => form !== 'count').map(([, text]) => text);
  return new Set(texts.flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1])));
}

const englishEntries = entries(english);

test('every language offered has a catalog, and every catalog is offered', () => {
  const files = readdirSync(new URL('i18n/', root)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  assert.deepEqual([...files].sort(), languages.map((l) => l.code).sort());
});

test('the languages Belgium\'s newcomers speak are offered, right to left where they are written so', () => {
  const offered = Object.fromEntries(languages.map((l) => [l.code, l.dir]));
  assert.deepEqual(offered, {
    nl: 'ltr', fr: 'ltr', en: 'ltr', ar: 'rtl', fa: 'rtl', ps: 'rtl', ti: 'ltr', uk: 'ltr', ru: 'ltr', tr: 'ltr',
  });
});

for (const { code } of languages) {
  const translated = catalog(code);
  const own = entries(translated);

  test(`${code}: says which language it is and whether a native speaker reviewed it`, () => {
    assert.equal(translated._meta?.language, code);
    assert.ok(REVIEW_STATES.includes(translated._meta?.review), translated._meta?.review);
    assert.equal(translated._meta.review === 'source', code === 'en');
  });

  test(`${code}: has every key English has, and no other`, () => {
    const missing = [...englishEntries.keys()].filter((key) => !own.has(key));
    const extra = [...own.keys()].filter((key) => !englishEntries.has(key));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
  });

  test(`${code}: no entry has a placeholder English lacks, or is left empty`, () => {
    for (const [key, entry] of own) {
      const allowed = placeholders(englishEntries.get(key) ?? '');
      for (const name of placeholders(entry)) assert.ok(allowed.has(name), `${key}: {${name}}`);
      const texts = typeof entry === 'string' ? [entry] : Object.values(entry);
      if (key !== 'roles.participant') for (const text of texts) assert.notEqual(text.trim(), '', key);
    }
  });

  test(`${code}: a count has every plural form the language needs, as English counts it`, () => {
    const needed = new Intl.PluralRules(code).resolvedOptions().pluralCategories;
    for (const [key, entry] of englishEntries) {
      const mine = own.get(key);
      if (!isPlural(entry)) {
        assert.equal(typeof mine, 'string', key);
        continue;
      }
      assert.ok(isPlural(mine), key);
      assert.equal(mine.count, entry.count, key);
      for (const form of needed) assert.equal(typeof mine[form], 'string', `${key}: ${form}`);
      for (const form of Object.keys(mine)) {
        if (form !== 'count') assert.ok(PLURAL_FORMS.includes(form), `${key}: ${form}`);
      }
      assert.equal('none' in mine, 'none' in entry, `${key}: none`);
    }
  });
}

// Codes only a client that breaks the protocol meets: the general text
// (errors.other, with the code) is enough for those.
const CLIENT_BUGS = ['already_welcomed', 'bad_json', 'binary_frame', 'error', 'hello_required', 'missing_field',
  'not_object', 'too_deep', 'unknown_type'];

test('every error code the server has that a person can meet has a text of its own', () => {
  const cpp = readFileSync(new URL('../../protocol/src/error_code.cpp', import.meta.url), 'utf8');
  const codes = [...new Set([...cpp.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]))];
  assert.ok(codes.length > 30, `${codes.length} codes read`);
  const missing = codes.filter((code) => !CLIENT_BUGS.includes(code) && !Object.hasOwn(english.errors, code));
  assert.deepEqual(missing, []);
});

test('the reader\'s first language Kring speaks is chosen, Dari and Pashto by their own tags', () => {
  assert.equal(chooseLanguage(['de-DE', 'nl-BE', 'en']), 'nl');
  assert.equal(chooseLanguage(['prs-AF']), 'fa');
  assert.equal(chooseLanguage(['fa-AF']), 'fa');
  assert.equal(chooseLanguage(['pbt']), 'ps');
  assert.equal(chooseLanguage(['ti_ER']), 'ti');
  assert.equal(chooseLanguage(['AR-sy']), 'ar');
  assert.equal(chooseLanguage(['de', 'es']), 'en');
  assert.equal(chooseLanguage([]), 'en');
  assert.equal(chooseLanguage([undefined, '', 'toString']), 'en');
});

test('a catalog in use gives its language, its texts and its plural forms', () => {
  assert.deepEqual(useCatalog(catalog('ar')), { code: 'ar', name: 'العربية', dir: 'rtl' });
  assert.equal(currentLanguage().code, 'ar');
  const waiting = catalog('ar').errors.rate_limited;
  const forms = new Set([0, 1, 2, 3, 11, 100].map((n) => format(waiting, { seconds: n })));
  assert.equal(forms.size, 6, 'Arabic writes 0, 1, 2, 3, 11 and 100 seconds six ways');
  assert.equal(format(waiting, {}), waiting.none, 'an unknown count');
  assert.equal(errorText('no_such_room'), catalog('ar').errors.no_such_room);
  useCatalog(english);
  assert.equal(format(english.errors.rate_limited, { seconds: 1 }),
    'That was a lot at once. Please wait 1 second, then try again.');
  assert.equal(format(english.errors.rate_limited, { seconds: 30 }),
    'That was a lot at once. Please wait 30 seconds, then try again.');
  assert.equal(errorText('slow_mode', {}), 'Slow mode is on. Please wait a moment.');
  assert.equal(strings.languageLabel, 'Language');
});

test('numbers and times are written the language\'s way', () => {
  useCatalog(catalog('fa'));
  assert.match(format(catalog('fa').whoIsHere, { n: 12 }), /۱۲/);
  const noon = Date.UTC(2026, 11, 2, 12, 5);
  assert.match(timeText(noon, noon), /۰?۵/);
  useCatalog(english);
  assert.match(timeText(noon, noon), /05/);
});

test('a catalog that is not there is an error, not an empty page', async () => {
  await assert.rejects(fetchCatalog('nl', async () => ({ ok: false, status: 404 })), /404/);
  const fetched = await fetchCatalog('nl', async (url) => ({ ok: true, json: async () => ({ url }) }));
  assert.deepEqual(fetched, { url: 'i18n/nl.json' });
});

test('an unknown catalog falls back on English\'s language', () => {
  assert.equal(useCatalog({ _meta: { language: 'xx' } }).code, 'en');
  useCatalog(english);
});
