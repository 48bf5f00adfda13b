/* The roster calendar, enhanced. Without this module the week's grid is plain HTML with forms:
 * tick shifts and act on them together, a page per shift, a form per cell. With it:
 *
 * - a focused shift moves by the keyboard: Shift + Left/Right a day, Shift + Up/Down an hour;
 *   Delete cancels it (each an ordinary change with its undo);
 * - a shift is dragged with a pointer onto another cell: another day, another person, or both;
 * - every form of the page is sent in the background and the page's main part replaced by the
 *   one the server answers with, the focus put where that page says (its autofocus element:
 *   the moved shift, the report of what was done, or the error summary).
 *
 * No text is written here: every word comes from the server's page, in its language.
 */

const main = () => document.getElementById("main");
const MOVES = {
  ArrowLeft: { days: -1, hours: 0 },
  ArrowRight: { days: 1, hours: 0 },
  ArrowUp: { days: 0, hours: -1 },
  ArrowDown: { days: 0, hours: 1 },
};
const DRAG_DISTANCE = 6; // px a pointer travels before a press on a shift becomes a drag
let busy = false; // one change at a time: the next key waits for the page of the last

// ---- sending a change ---------------------------------------------------------------------

// The page the server answered with takes the place of this one's main part (forms, grid,
// report and all), and its autofocus element gets the focus, as on a page load.
function show(html, url) {
  const next = new DOMParser().parseFromString(html, "text/html");
  const nextMain = next.getElementById("main");
  if (!nextMain) throw new Error("the answer is not a page of this site");
  main().replaceChildren(...nextMain.childNodes);
  document.title = next.title;
  if (url) history.replaceState(null, "", url);
  enhance();
  const target = main().querySelector("[autofocus]");
  (target || main()).focus();
}

async function send(action, body) {
  if (busy) return;
  busy = true;
  try {
    const response = await fetch(action, { method: "POST", body, credentials: "same-origin" });
    if (!response.ok && response.status !== 400) throw new Error(`status ${response.status}`);
    // A change redirects to the week's page (its URL is worth keeping); a refusal is the form again.
    show(await response.text(), response.redirected ? response.url : null);
  } finally {
    busy = false;
  }
}

// A form of the page, sent in the background; if that fails, sent as it would be without us.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!main().contains(form) || form.method !== "post" || form.dataset.plain) return;
  event.preventDefault();
  send(form.action, new FormData(form, event.submitter)).catch(() => {
    form.dataset.plain = "yes";
    form.requestSubmit(event.submitter);
  });
});

// The CSRF token and the week shown, as the bulk form carries them.
function changeOf(fields) {
  const bulk = document.getElementById("bulk");
  const body = new FormData();
  body.set("csrf", bulk.elements.csrf.value);
  body.set("week", bulk.elements.week.value);
  for (const [name, value] of Object.entries(fields)) body.set(name, String(value));
  return body;
}

// ---- the keyboard -------------------------------------------------------------------------

document.addEventListener("keydown", (event) => {
  const link = event.target.closest?.(".block--ahead .block__link");
  if (!link || event.ctrlKey || event.altKey || event.metaKey) return;
  const shift = link.closest(".block").dataset.shift;
  const move = MOVES[event.key];
  if (move && event.shiftKey) {
    event.preventDefault();
    send("/coordinator/roster/shifts/bulk", changeOf({ action: "move", form: "keys", shift, ...move }));
  } else if (event.key === "Delete" && !event.shiftKey) {
    event.preventDefault();
    send("/coordinator/roster/shifts/bulk", changeOf({ action: "cancel", form: "keys", shift }));
  }
});

// ---- the pointer --------------------------------------------------------------------------

let drag = null; // {block, x, y, moved, cell}

const cellAt = (x, y) => document.elementFromPoint(x, y)?.closest("td.slot[data-day]") ?? null;

function aim(cell) {
  if (drag.cell === cell) return;
  drag.cell?.classList.remove("drop-target");
  drag.cell = cell;
  cell?.classList.add("drop-target");
}

document.addEventListener("pointerdown", (event) => {
  const link = event.target.closest?.(".block--ahead .block__link");
  if (!link || event.button !== 0) return;
  drag = { block: link.closest(".block"), x: event.clientX, y: event.clientY, moved: false, cell: null };
  link.setPointerCapture(event.pointerId);
});

document.addEventListener("pointermove", (event) => {
  if (!drag) return;
  if (!drag.moved && Math.hypot(event.clientX - drag.x, event.clientY - drag.y) < DRAG_DISTANCE) return;
  drag.moved = true;
  drag.block.classList.add("block--dragging");
  aim(cellAt(event.clientX, event.clientY));
});

function drop(event) {
  if (!drag) return;
  const { block, moved } = drag;
  const cell = event.type === "pointerup" && moved ? cellAt(event.clientX, event.clientY) : null;
  aim(null);
  block.classList.remove("block--dragging");
  drag = null;
  if (!moved) return; // a press, not a drag: the link opens the shift's page as usual
  // The click that ends a drag is not a click on the link.
  document.addEventListener("click", (click) => click.preventDefault(), { capture: true, once: true });
  const { day, advisor } = cell?.dataset ?? {};
  if (!cell || (day === block.dataset.day && advisor === block.dataset.advisor)) return;
  const fields = { form: "week", advisor, day, start: block.dataset.start, end: block.dataset.end };
  send(`/coordinator/roster/shifts/${block.dataset.shift}/move`, changeOf(fields));
}
document.addEventListener("pointerup", drop);
// A link's own drag (of its address) would take the pointer away from ours.
document.addEventListener("dragstart", (event) => {
  if (event.target.closest?.(".block--ahead")) event.preventDefault();
});
document.addEventListener("pointercancel", drop);

// ---- what the page says of it ---------------------------------------------------------------

// The hint that tells of the keys and the dragging is shown, and each movable shift names it.
function enhance() {
  const hint = document.getElementById("keys-hint");
  if (!hint) return;
  hint.hidden = false;
  for (const link of document.querySelectorAll(".block--ahead .block__link")) {
    const described = (link.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (!described.includes("keys-hint")) link.setAttribute("aria-describedby", [...described, "keys-hint"].join(" "));
  }
}
enhance();
