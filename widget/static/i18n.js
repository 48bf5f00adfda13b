/*
 * Texts and formats for one language. Every visible string comes from the catalogs in
 * i18n/{fi,sv,en}.json (flat keys, {name} placeholders, plurals as key.one / key.other);
 * numbers, dates and language names from Intl. No DOM.
 */

export const UI_LANGUAGES = ['fi', 'sv', 'en'];
export const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/** The first candidate whose primary subtag is a widget language ("sv-FI" → sv), else fi. */
export function pickLanguage(...candidates) {
  for (const candidate of candidates) {
    const primary = String(candidate || '').trim().toLowerCase().split(/[-_]/)[0];
    if (UI_LANGUAGES.includes(primary)) return primary;
  }
  return 'fi';
}

/** A language's name in that language ("suomi", "svenska", "English") for the switch. */
export function selfName(code) {
  try {
    return new Intl.DisplayNames([LOCALES[code]], { type: 'language' }).of(code) || code;
  } catch {
    return code.toUpperCase();
  }
}

export class Translator {
  constructor(lang, catalog) {
    this.lang = lang;
    this.catalog = catalog;
    this.locale = LOCALES[lang] || lang;
    this.plurals = new Intl.PluralRules(this.locale);
  }

  has(key) {
    return typeof this.catalog[key] === 'string';
  }

  t(key, vars = {}) {
    if (!this.has(key)) {
      console.warn(`neuvo-chat: no "${this.lang}" text for "${key}"`);
      return key;
    }
    return this.catalog[key].replace(/\{(\w+)\}/g, (match, name) =>
      name in vars ? String(vars[name]) : match);
  }

  /** "key.one" or "key.other" by the language's plural rules, with {count} filled in. */
  plural(key, count, vars = {}) {
    return this.t(`${key}.${this.plurals.select(count)}`, { count, ...vars });
  }

  /**
   * Words the session controller chose without knowing the language: { key, vars } (a text),
   * { key, count } (a plural), { text } (the server's own words), or { key, text } (the text for
   * key where the catalog has it, else the server's words, else the generic error).
   */
  say(words) {
    if (!words) return '';
    const { key, vars, count, text } = words;
    if (key && count !== undefined) return this.plural(key, count, vars);
    if (key && (this.has(key) || text === undefined)) return this.t(key, vars);
    return text ?? this.t('error.generic');
  }

  time(iso) {
    return this.format(iso, CLOCK);
  }

  dateTime(iso) {
    return this.format(iso, {
      day: 'numeric', month: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit',
    });
  }

  /**
   * When the service opens next, in the service's time zone `zone` (an IANA name; the visitor's
   * own when null) and labelled with it: "today at 9.00 (Helsinki time)".
   */
  opening(iso, zone = null, now = new Date()) {
    const when = new Date(iso);
    if (Number.isNaN(when.getTime())) return this.t('closed.no_next_open');
    const vars = { time: this.format(iso, CLOCK, zone), zone: this.zoneName(zone) };
    const day = dateIn(when, zone);
    const today = dateIn(now, zone);
    if (day === today) return this.t('closed.opens_today', vars);
    if (day === nextDate(today)) return this.t('closed.opens_tomorrow', vars);
    const date = this.format(iso, { weekday: 'long', day: 'numeric', month: 'long' }, zone);
    return this.t('closed.opens_on', { ...vars, date });
  }

  /**
   * One date ("2026-11-24") of the service's week as "tiistai 24.11." (it names no instant, so
   * no zone moves it). The weekday on its own: Finnish puts it in the essive beside a date.
   */
  day(date) {
    const noon = `${date}T12:00:00Z`;
    return `${this.format(noon, { weekday: 'long' }, 'UTC')} ${
      this.format(noon, { day: 'numeric', month: 'numeric' }, 'UTC')}`;
  }

  /**
   * Opening hours from `start` to `end` (ISO times) as "9.00–16.00" in `zone`; each end as
   * time() writes it (Intl's formatRange pads English hours where time() does not).
   */
  hours(start, end, zone = null) {
    const [from, to] = [start, end].map((iso) => this.format(iso, CLOCK, zone));
    return from && to ? `${from}–${to}` : '';
  }

  /**
   * A time zone as the label after a time: the catalog's words where it has them ("Suomen
   * aikaa", "Helsinki time"), else Intl's name of the zone, else its IANA name.
   */
  zoneName(zone) {
    if (!zone) return '';
    const key = `zone.${zone.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
    if (this.has(key)) return this.t(key);
    try {
      const parts = new Intl.DateTimeFormat(this.locale, { timeZoneName: 'longGeneric', timeZone: zone })
        .formatToParts(new Date());
      return parts.find((part) => part.type === 'timeZoneName')?.value || zone;
    } catch {
      return zone;
    }
  }

  /** An estimated wait in words, or null when the server has no estimate. */
  wait(seconds) {
    if (typeof seconds !== 'number') return null;
    if (seconds < 60) return this.t('wait.under_minute');
    const minutes = new Intl.NumberFormat(this.locale, {
      style: 'unit', unit: 'minute', unitDisplay: 'long',
    }).format(Math.round(seconds / 60));
    return this.t('wait.about', { duration: minutes });
  }

  /** A language's name, by default in the widget's language ("ruotsi"), or in its own. */
  languageName(code, inLanguage = this.lang) {
    try {
      const locale = LOCALES[inLanguage] || inLanguage;
      return new Intl.DisplayNames([locale], { type: 'language' }).of(code) || code;
    } catch {
      return code;
    }
  }

  /** An event of the chat (book.js `note`) in words: "Anna (Kotka College) joined the chat." */
  event({ kind, name, organisation }) {
    const key = EVENT_WORDS[kind];
    if (!key) return '';
    const named = name || this.t('message.advisor');
    const who = organisation ? this.t('system.who', { name: named, organisation }) : named;
    return this.t(key, { name: named, who });
  }

  /** The same event for the launcher on the host page, which never hears a name. */
  eventUnnamed({ kind }) {
    return LAUNCHER_WORDS[kind] ? this.t(LAUNCHER_WORDS[kind]) : '';
  }

  sender(from) {
    const key = `message.${from}`;
    return this.has(key) ? this.t(key) : from;
  }

  /** A time in the visitor's own time zone, or in `zone` (an unknown zone: the visitor's). */
  format(iso, options, zone = null) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return '';
    return formatter(this.locale, options, zone).format(date);
  }
}

const CLOCK = { hour: 'numeric', minute: '2-digit' };
const EVENT_WORDS = {
  joined: 'system.joined', transferred: 'system.transferred', requeued: 'system.requeued',
};
const LAUNCHER_WORDS = {
  joined: 'launcher.joined', transferred: 'launcher.transferred', requeued: 'launcher.requeued',
};

function formatter(locale, options, zone) {
  try {
    if (zone) return new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
  } catch {
    // RangeError: a zone this browser does not know; the visitor's own is the best left
  }
  return new Intl.DateTimeFormat(locale, options);
}

/** The calendar date ("2026-11-24") at `when` in `zone`. */
function dateIn(when, zone) {
  const parts = formatter('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }, zone)
    .formatToParts(when);
  const part = (type) => parts.find((item) => item.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The date after `date` ("2026-11-24" → "2026-11-25"). */
function nextDate(date) {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

/** The catalogs fetched so far; a language whose catalog does not load falls back to Finnish. */
export class Catalogs {
  constructor(fetchCatalog) {
    this.fetchCatalog = fetchCatalog;
    this.loaded = new Map();
  }

  /** A Translator for `lang`, or for Finnish, or null when not even Finnish loads. */
  async translator(lang) {
    if (!this.loaded.has(lang)) {
      try {
        this.loaded.set(lang, await this.fetchCatalog(lang));
      } catch (error) {
        console.warn(`neuvo-chat: no "${lang}" texts`, error);
        return lang === 'fi' ? null : this.translator('fi');
      }
    }
    return new Translator(lang, this.loaded.get(lang));
  }
}
