/* Small DOM helpers for the widget's views: building elements, text, icons, focus, scrolling. */

/**
 * Create an element. Props that the element has as properties (value, hidden, tabIndex,
 * htmlFor...) are set as properties, the rest (aria-*, role, data-*) as attributes, `on…` as
 * listeners. Children are nodes or strings; append() makes strings Text nodes, never HTML.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name in element && !name.includes('-') && name !== 'role') element[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return element;
}

/** Set text only when it differs, so live regions do not announce the same words again. */
export function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

const ICONS = {
  chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z',
  close: 'M5 6.4 6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12z',
};

export function icon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'icon');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}

const TABBABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

export function tabbables(container) {
  return [...container.querySelectorAll(TABBABLE)].filter((element) =>
    !element.disabled && element.tabIndex >= 0 && element.getClientRects().length > 0);
}

/** The nearest box, `element` itself included, that scrolls vertically; null when none does. */
export function scrollBox(element) {
  for (let node = element; node; node = node.parentElement) {
    if (/auto|scroll/.test(getComputedStyle(node).overflowY)) return node;
  }
  return null;
}

/**
 * Call before the log changes; call what it returns after. A visitor who was following the
 * conversation (who could see the end of the log, or the message box below it) sees the newest
 * line; one who scrolled back up to read is left where they are.
 *
 * On most screens the log is its own scrolling box: follow = it was scrolled to its end. On a
 * short screen (200 % zoom) the whole panel scrolls and the log just grows: follow = the log's
 * end was on screen or just below; then what is below the log (typing line, message box) stays
 * where it was on screen, and the new line appears above it; a new line taller than the room
 * above is shown from its start.
 */
export function followTheEnd(box) {
  const scroller = box.isConnected ? scrollBox(box) : null;
  if (!scroller) return () => {};
  if (scroller === box) {
    const atEnd = box.scrollHeight - box.scrollTop - box.clientHeight < 48;
    return () => {
      if (atEnd) box.scrollTop = box.scrollHeight;
    };
  }
  const end = () => box.getBoundingClientRect().bottom;
  const before = end();
  if (before > scroller.getBoundingClientRect().bottom + 48) return () => {};
  return (newest) => {
    scroller.scrollTop += end() - before;
    if (!newest) return;
    const above = scroller.getBoundingClientRect().top - newest.getBoundingClientRect().top;
    if (above > 0) scroller.scrollTop -= above;
  };
}
