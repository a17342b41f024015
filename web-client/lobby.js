// The circles the server's directory lists (GET /api/circles,
// protocol/README.md), as the lobby says them: in the interface's language,
// the next session in the reader's own time. Touches no page: node's test
// runner tries it.
import { strings, format, currentLanguage, languageList } from './strings.js';

export async function fetchCircles(fetchFile = fetch) {
  const response = await fetchFile('api/circles');
  if (!response.ok) throw new Error(`directory: HTTP ${response.status}`);
  const body = await response.json();
  return Array.isArray(body?.circles) ? body.circles : [];
}

// One circle, ready to show: texts in the interface's language at `now`.
export function describeCircle(circle, now = Date.now()) {
  const lang = currentLanguage().code;
  const slug = String(circle.slug ?? '');
  const organisation = circle.organisation
    ? [circle.organisation.name, circle.organisation.city].filter((part) => typeof part === 'string' && part !== '')
      .join(', ')
    : '';
  const languages = Array.isArray(circle.languages) && circle.languages.length > 0
    ? format(strings.lobby.languages, { languages: languageList(circle.languages) })
    : '';
  const present = Number.isFinite(circle.present) ? format(strings.lobby.present, { n: circle.present }) : '';
  return {
    slug,
    title: String(circle.title || slug),
    description: String(circle.description ?? ''),
    organisation,
    languages,
    present,
    when: whenText(circle, now, lang),
    needsCode: circle.code === true,
    calendar: circle.next ? `api/circles/${encodeURIComponent(slug)}.ics` : null,
  };
}

function whenText(circle, now, lang) {
  if (circle.open_now === true) return strings.lobby.openNow;
  const start = circle.next?.start;
  if (!Number.isFinite(start)) return '';
  const time = new Intl.DateTimeFormat(lang, { weekday: 'long', hour: '2-digit', minute: '2-digit' })
    .format(new Date(start));
  return format(strings.lobby.next, { time, relative: relativeText(start - now, lang) });
}

// "in 2 hours", "tomorrow", in the interface's language.
export function relativeText(ms, lang = currentLanguage().code) {
  const words = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  const minutes = Math.round(ms / 60_000);
  if (Math.abs(minutes) < 60) return words.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return words.format(hours, 'hour');
  return words.format(Math.round(hours / 24), 'day');
}
