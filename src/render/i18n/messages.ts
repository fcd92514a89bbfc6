import { IntlMessageFormat } from 'intl-messageformat';
import { join, type HtmlValue, type SafeHtml } from '../../http/html.ts';
import { DEFAULT_LOCALE, LOCALES, matchLocale, type Locale } from './locales.ts';
import { en, type MessageKey } from './messages/en.ts';

export type { MessageKey };

/** Arguments of a plain-text message. */
export type TextValues = Record<string, string | number | Date>;
/** Arguments of a markup message: escaped text, markup, or a function filling a `<tag>…</tag>`. */
export type HtmlValues = Record<string, HtmlValue | ((chunks: HtmlValue[]) => HtmlValue)>;

/** The reader interface in one language: what every public view writes its words through. */
export interface Messages {
  readonly locale: Locale;
  readonly dir: 'ltr' | 'rtl';
  /** A message as plain text (titles, attributes); the view escapes it like any string. */
  text(key: MessageKey, values?: TextValues): string;
  /** A message whose arguments or tags are markup (a byline's links, a `<time>`). */
  html(key: MessageKey, values?: HtmlValues): SafeHtml;
  number(n: number): string;
  /** A year or other number shown without grouping ("2026", "۲۰۲۶"). */
  plainNumber(n: number): string;
  /** Date and time of an ISO instant, in UTC and labelled so (site.js shows the reader's zone). */
  dateTime(iso: string): string;
  /** The date alone, short month. */
  date(iso: string): string;
  /** "3 hours ago", "yesterday": `iso` relative to `nowIso`. */
  relativeTime(iso: string, nowIso: string): string;
  /** "A, B and C" with each item kept as given (links stay links). */
  list(items: readonly HtmlValue[]): SafeHtml;
  /**
   * A `{count, plural, …}` message as one text per plural category of the language, with `#`
   * for the number: for scripts that count in the browser (live.js's "3 new updates").
   */
  pluralForms(key: MessageKey): Record<string, string>;
}

const cache = new Map<Locale, Messages>();

/**
 * The messages for a locale tag (`ar`, `fr-CA`…), built once per locale: compiled formatters and
 * date formats are cached inside. An unshipped language gets English.
 */
export function messagesFor(tag: string): Messages {
  const locale = matchLocale(tag) ?? DEFAULT_LOCALE;
  let m = cache.get(locale);
  if (!m) {
    m = createMessages(locale);
    cache.set(locale, m);
  }
  return m;
}

type Formatter = IntlMessageFormat;

/** A message's words and `{name}` arguments, in order. */
type Pieces = ReadonlyArray<{ argument: boolean; value: string }>;

/** A fresh set of messages for `locale` (messagesFor keeps one per locale). */
export function createMessages(locale: Locale): Messages {
  const catalog = LOCALES[locale].catalog;
  const compiled = new Map<MessageKey, Formatter>();
  const formatter = (key: MessageKey): Formatter => {
    let f = compiled.get(key);
    if (!f) {
      const own = catalog[key];
      // A key the catalog lacks is English, formatted as English (plural rules follow the words).
      f = own !== undefined ? new IntlMessageFormat(own, locale) : new IntlMessageFormat(en[key], 'en');
      compiled.set(key, f);
    }
    return f;
  };
  // Most messages are words and plain `{name}` arguments given as text: they are filled here
  // without the formatter (~1 µs against ~5 µs a message, and a page writes dozens). Anything
  // else (plural, select, number, date, tags, or an argument that is not text) is formatted.
  const piecesByKey = new Map<MessageKey, Pieces | null>();
  const piecesOf = (key: MessageKey): Pieces | null => {
    let p = piecesByKey.get(key);
    if (p === undefined) {
      const ast = formatter(key).getAst() as ReadonlyArray<{ type: number; value?: unknown }>;
      // TYPE.literal = 0, TYPE.argument = 1 (@formatjs/icu-messageformat-parser).
      p = ast.every((e) => (e.type === 0 || e.type === 1) && typeof e.value === 'string')
        ? ast.map((e) => ({ argument: e.type === 1, value: e.value as string }))
        : null;
      piecesByKey.set(key, p);
    }
    return p;
  };
  // English keeps the site's long-standing British style ("4 December 2026, 14:06 UTC", "A, B and C").
  const dateLocale = locale === 'en' ? 'en-GB' : locale;
  const dateTimeFormat = new Intl.DateTimeFormat(dateLocale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'UTC',
  });
  const dateFormat = new Intl.DateTimeFormat(dateLocale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const numberFormat = new Intl.NumberFormat(locale);
  const plainFormat = new Intl.NumberFormat(locale, { useGrouping: false });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const listFormat = new Intl.ListFormat(dateLocale, { type: 'conjunction' });
  const listShapes = new Map<number, { type: string; value: string }[]>();
  const dateTimes = boundedCache<string, string>();
  const dates = boundedCache<string, string>();
  const numbers = boundedCache<number, string>();
  const plainNumbers = boundedCache<number, string>();
  // A message with one number argument (`{count, plural, …}`: "3 comments") is formatted by
  // the formatter (~5 µs, with its argument memoiser); its text depends on nothing else, and a
  // page asks for the same few counts again and again.
  const counted = boundedCache<string, string>();

  const formatText = (key: MessageKey, values: TextValues | undefined): string => {
    const only = values && soleNumber(values);
    if (only) return counted(`${key}\u0000${only.name}\u0000${only.value}`, () => String(formatter(key).format(values)));
    return String(formatter(key).format(values));
  };

  const m: Messages = {
    locale,
    dir: LOCALES[locale].dir,
    text: (key, values) => {
      const pieces = piecesOf(key);
      if (pieces) {
        let out = '';
        for (const p of pieces) {
          const v = p.argument ? values?.[p.value] : p.value;
          if (typeof v !== 'string') return formatText(key, values);
          out += v;
        }
        return out;
      }
      return formatText(key, values);
    },
    html: (key, values) => {
      const pieces = piecesOf(key);
      if (pieces) {
        const parts: HtmlValue[] = [];
        for (const p of pieces) {
          const v = p.argument ? values?.[p.value] : p.value;
          if (v === undefined || v === null || typeof v === 'function' || typeof v === 'number') {
            parts.length = 0;
            break;
          }
          parts.push(v);
        }
        if (parts.length === pieces.length) return join(parts);
      }
      const out = formatter(key).format<HtmlValue>(values as Record<string, HtmlValue>);
      // Strings (the catalog's words and plain arguments) are escaped by join; markup passes through.
      return join(Array.isArray(out) ? out : [out]);
    },
    number: (n) => numbers(n, () => numberFormat.format(n)),
    plainNumber: (n) => plainNumbers(n, () => plainFormat.format(n)),
    dateTime: (iso) =>
      dateTimes(iso, () => {
        const formatted = dateTimeFormat.format(new Date(iso));
        return m.text('article.utc', { time: locale === 'en' ? formatted.replace(' at ', ', ') : formatted });
      }),
    date: (iso) => dates(iso, () => dateFormat.format(new Date(iso))),
    relativeTime: (iso, nowIso) => relativeTime(relative, Date.parse(iso) - Date.parse(nowIso)),
    list: (items) => {
      // Placeholders formatted once per length, then each item put back where its placeholder
      // landed (formatToParts costs ~10 µs, and every byline and result asks it).
      let parts = listShapes.get(items.length);
      if (!parts) listShapes.set(items.length, (parts = listFormat.formatToParts(items.map((_, i) => String(i)))));
      return join(parts.map((p) => (p.type === 'element' ? items[Number(p.value)]! : p.value)));
    },
    pluralForms: (key) => {
      const rules = new Intl.PluralRules(locale);
      // Samples from 2 up first: `=0`/`=1` exact cases must not stand for a whole category.
      const samples = [...Array.from({ length: 199 }, (_, i) => i + 2), 1, 0];
      const forms: Record<string, string> = {};
      for (const category of rules.resolvedOptions().pluralCategories) {
        const n = samples.find((s) => rules.select(s) === category);
        if (n !== undefined) forms[category] = m.text(key, { count: n }).replace(numberFormat.format(n), '#');
      }
      return forms;
    },
  };
  return m;
}

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600e3],
  ['month', 30 * 24 * 3600e3],
  ['week', 7 * 24 * 3600e3],
  ['day', 24 * 3600e3],
  ['hour', 3600e3],
  ['minute', 60e3],
];

function relativeTime(format: Intl.RelativeTimeFormat, diffMs: number): string {
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diffMs) >= ms) return format.format(Math.round(diffMs / ms), unit);
  }
  return format.format(Math.round(diffMs / 1000), 'second');
}

/** The name and value of `values`' one argument when it is a number; undefined otherwise. */
function soleNumber(values: TextValues): { name: string; value: number } | undefined {
  let found: { name: string; value: number } | undefined;
  for (const name in values) {
    const value = values[name];
    if (found || typeof value !== 'number') return undefined;
    found = { name, value };
  }
  return found;
}

/** Formatted dates and counts repeat across pages; a small cache per format saves re-formatting. */
function boundedCache<K, V>(): (key: K, make: () => V) => V {
  const map = new Map<K, V>();
  return (key, make) => {
    let v = map.get(key);
    if (v === undefined) {
      v = make();
      if (map.size > 5000) map.clear();
      map.set(key, v);
    }
    return v;
  };
}
