/*
 * The colours an organisation may choose on the script tag (data-accent, data-on-accent,
 * data-accent-hover), taken only when every pair they are drawn in keeps WCAG AA contrast:
 * text on the accent and on its hover shade, and the accent as text on the white panel, each
 * at least 4.5:1. Used on both sides: the launcher on the host page, and the frame (which gets
 * them as query parameters, the host's CSS cannot reach it). No DOM.
 */

const HEX = /^#[0-9a-f]{6}$/i;
const SURFACE = '#ffffff';
const AA = 4.5;

/** The theme's attribute (dataset) names and the query parameters the frame gets them as. */
export const THEME_FIELDS = [
  { data: 'accent', param: 'accent', property: '--neuvo-accent', fallback: '#1f4e8c' },
  { data: 'onAccent', param: 'on_accent', property: '--neuvo-on-accent', fallback: '#ffffff' },
  { data: 'accentHover', param: 'accent_hover', property: '--neuvo-accent-hover', fallback: '#163a69' },
];

function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const c = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two #rrggbb colours (1 to 21). */
export function contrast(one, other) {
  const [light, dark] = [luminance(one), luminance(other)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}

/**
 * { '--neuvo-accent': '#…', … } for the colours given (a function from a field to its text or
 * undefined), or {} when none is given, one is not #rrggbb, or a pair falls below AA.
 */
export function themeFrom(read) {
  const given = THEME_FIELDS.map((field) => [field, read(field)]);
  if (given.every(([, value]) => !value)) return {};
  if (given.some(([, value]) => value && !HEX.test(value))) {
    console.warn('neuvo-chat: theme colours must be #rrggbb; the default colours are used');
    return {};
  }
  const [accent, onAccent, hover] = given.map(([field, value]) => value || field.fallback);
  const low = [[onAccent, accent], [onAccent, hover], [accent, SURFACE]]
    .some(([fg, bg]) => contrast(fg, bg) < AA);
  if (low) {
    console.warn('neuvo-chat: the theme colours fall below 4.5:1 contrast; the default colours are used');
    return {};
  }
  return Object.fromEntries(given.filter(([, value]) => value)
    .map(([field, value]) => [field.property, value.toLowerCase()]));
}

/** Set the custom properties of themeFrom() on an element's style (CSSOM: CSP allows it). */
export function applyTheme(element, theme) {
  for (const [property, value] of Object.entries(theme)) element.style.setProperty(property, value);
}
