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
    return this.format(iso, { hour: 'numeric', minute: '2-digit' });
  }

  dateTime(iso) {
    return this.format(iso, {
      day: 'numeric', month: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit',
    });
  }

  /** When the service opens next, in the visitor's own time zone. */
  opening(iso, now = new Date()) {
    const when = new Date(iso);
    if (Number.isNaN(when.getTime())) return this.t('closed.no_next_open');
    const time = this.time(iso);
    const tomorrow = new Date(now);
    tomorrow.setDate(now.getDate() + 1);
    if (when.toDateString() === now.toDateString()) return this.t('closed.opens_today', { time });
    if (when.toDateString() === tomorrow.toDateString()) {
      return this.t('closed.opens_tomorrow', { time });
    }
    const date = this.format(iso, { weekday: 'long', day: 'numeric', month: 'long' });
    return this.t('closed.opens_on', { date, time });
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

  sender(from) {
    const key = `message.${from}`;
    return this.has(key) ? this.t(key) : from;
  }

  format(iso, options) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return '';
    return new Intl.DateTimeFormat(this.locale, options).format(date);
  }
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
