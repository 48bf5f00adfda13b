"""Issue 5, embedded on someone else's page: chat text is only ever text, the host's stylesheet
cannot reach inside, and the widget speaks Finnish, Swedish and English."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.async_api import Frame, Page, expect

from tests.e2e.browser import Host, Widget, advisor_side, in_a_chat
from tests.service import Service

I18N = Path(__file__).resolve().parents[2] / "widget" / "static" / "i18n"
CATALOGS = {lang: json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8")) for lang in ("fi", "sv", "en")}

# Elements whose look is compared with and without the host's hostile stylesheet: the launcher and
# the frame on the host page, the rest inside the frame (whose document no host stylesheet reaches).
ON_HOST_PAGE = {"launcher", "frame"}
MEASURED = {
    "launcher": ".launcher",
    "frame": ".frame",
    "panel": "#neuvo-panel",
    "title": "#neuvo-title",
    "close": ".icon-button",
    "language": ".languages__button",
    "heading": ".view__title",
    "label": ".field__label",
    "topic": "#before-topic",
    "privacy": ".privacy li",
    "start": "button[type=submit]",
}
STYLES = ("display", "visibility", "opacity", "position", "font-size", "font-family", "font-weight", "line-height",
          "letter-spacing", "text-transform", "color", "background-color", "border-top-width", "border-top-style",
          "padding-top", "padding-left", "margin-top", "transform", "box-sizing")


async def measure(widget: Widget, names: list[str]) -> dict[str, dict[str, Any]]:
    looks: dict[str, dict[str, Any]] = {}
    for document, wanted in ((widget.page, [n for n in names if n in ON_HOST_PAGE]),
                             (await widget.frame(), [n for n in names if n not in ON_HOST_PAGE])):
        looks.update(await measure_in(document, wanted))
    return looks


async def measure_in(document: Page | Frame, names: list[str]) -> dict[str, dict[str, Any]]:
    looks: dict[str, dict[str, Any]] = await document.evaluate("""([selectors, styles]) => {
        const root = document.querySelector('neuvo-chat').shadowRoot;
        const out = {};
        for (const [name, selector] of selectors) {
            const el = root.querySelector(selector);
            const style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            out[name] = { box: [box.x, box.y, box.width, box.height].map(Math.round),
                          ...Object.fromEntries(styles.map((s) => [s, style.getPropertyValue(s)])) };
        }
        return out;
    }""", [[(name, MEASURED[name]) for name in names], list(STYLES)])
    return looks


def differences(plain: dict[str, dict[str, Any]], other: dict[str, dict[str, Any]]) -> list[str]:
    return [f"{name} {prop}: {look[prop]!r} -> {other[name][prop]!r}"
            for name, look in plain.items() for prop in look if look[prop] != other[name][prop]]


async def test_html_from_an_advisor_is_shown_as_text_and_runs_nothing(
        page: Page, service: Service, host: Host) -> None:
    widget, advisor = await in_a_chat(page, service, host, keep=True)

    attack = "<img src=x onerror=window.__pwned=1>"
    await advisor.say(attack)
    await advisor.say('<a href="javascript:window.__pwned=2">click</a> <b>bold</b>')
    await widget.say("<script>window.__pwned=3</script>")
    await advisor.heard("<script>window.__pwned=3</script>")

    await expect(widget.line(attack)).to_have_text(attack)
    await expect(widget.line("click</a>")).to_have_text('<a href="javascript:window.__pwned=2">click</a> <b>bold</b>')
    await expect(widget.line("<script>")).to_have_text("<script>window.__pwned=3</script>")
    assert await widget.log.locator("img, a, b, script").count() == 0
    # An <img src=x> would have been fetched (and failed) by now; the request log proves none was made.
    assert await page.evaluate("() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/x'))") \
        is False
    assert await page.evaluate("() => typeof window.__pwned") == "undefined"

    assert await (await widget.frame()).evaluate("() => typeof window.__pwned") == "undefined"

    await page.reload()  # and again when the history is rebuilt from sessionStorage
    await expect(widget.line(attack)).to_have_text(attack)
    assert await widget.log.locator("img, a, b, script").count() == 0
    assert await page.evaluate("() => typeof window.__pwned") == "undefined"
    assert await (await widget.frame()).evaluate("() => typeof window.__pwned") == "undefined"


async def test_a_hostile_host_stylesheet_changes_nothing_in_the_widget_and_it_still_works(
        page: Page, service: Service, host: Host) -> None:
    advisor = await advisor_side(service)
    plain = Widget(page)
    await plain.load(host.url(service.base, html_lang="en"))
    closed_plain = await measure(plain, ["launcher"])
    await plain.open()
    await plain.settled()
    open_plain = await measure(plain, [name for name in MEASURED if name != "launcher"])

    hostile_page = await page.context.new_page()
    hostile = Widget(hostile_page)
    await hostile.load(host.url(service.base, html_lang="en", hostile="1"))
    assert await hostile_page.evaluate("() => getComputedStyle(document.querySelector('h1')).color") \
        == "rgb(255, 0, 0)"  # the stylesheet is in force on the page itself
    assert not differences(closed_plain, await measure(hostile, ["launcher"]))
    await hostile.open()
    await hostile.settled()
    assert not differences(open_plain, await measure(hostile, [name for name in MEASURED if name != "launcher"]))

    # Still a working chat, with a visible focus ring despite `:focus { outline: none !important }`.
    await hostile.start()
    await advisor.take()
    await expect(hostile.heading("Your advisor is Anna")).to_be_visible()
    await hostile.say("Does this work on your page?")
    await advisor.heard("Does this work on your page?")
    await advisor.say("It does.")
    await expect(hostile.line("It does.")).to_be_visible()
    await hostile_page.keyboard.press("Tab")
    ring = await (await hostile.frame()).evaluate("""() => {
        const el = document.querySelector('neuvo-chat').shadowRoot.activeElement;
        return getComputedStyle(el).outlineStyle;
    }""")
    assert ring == "solid"
    await hostile_page.close()


def texts(lang: str, *keys: str) -> list[str]:
    return [CATALOGS[lang][key] for key in keys]


async def test_data_lang_sv_and_html_lang_en_choose_the_widget_language_and_the_switch_changes_it(
        page: Page, service: Service, host: Host) -> None:
    await advisor_side(service)  # the service takes chats: the start form shows
    widget = Widget(page)

    # <html lang="en"> alone: English.
    await widget.load(host.url(service.base, html_lang="en"))
    await expect(widget.launcher).to_have_text(CATALOGS["en"]["launcher.label"])

    # data-lang="sv" wins over the page's <html lang="en">.
    swedish_page = await page.context.new_page()
    swedish = Widget(swedish_page)
    await swedish.load(host.url(service.base, html_lang="en", lang="sv"))
    await expect(swedish.launcher).to_have_text(CATALOGS["sv"]["launcher.label"])
    await swedish.open()
    sv_title, sv_heading, sv_start, sv_topic = texts("sv", "app.title", "before.title", "before.start", "field.topic")
    await expect(swedish.panel.locator("#neuvo-title")).to_have_text(sv_title)
    await expect(swedish.heading(sv_heading)).to_be_visible()
    await expect(swedish.button(sv_start)).to_be_visible()
    topic = swedish.inside.get_by_label(sv_topic, exact=True)
    await expect(topic.locator("option")).to_have_text(["Studier", "Arbete", "Välmående"])  # the service's labels
    await expect(swedish.button(CATALOGS["sv"]["panel.close"])).to_be_attached()
    assert await swedish_page.evaluate("() => document.querySelector('neuvo-chat').shadowRoot"
                                       ".querySelector('.root').lang") == "sv"
    await swedish_page.close()

    # The switch inside the widget: English → Swedish → Finnish, kept over a reload.
    await widget.open()
    await expect(widget.heading(CATALOGS["en"]["before.title"])).to_be_visible()
    await widget.button("svenska").click()
    await expect(widget.heading(CATALOGS["sv"]["before.title"])).to_be_visible()
    await expect(widget.button("svenska")).to_have_attribute("aria-pressed", "true")
    await expect(widget.button("English")).to_have_attribute("aria-pressed", "false")
    await expect(widget.label(CATALOGS["sv"]["field.chat_language"]).locator("option:checked")) \
        .to_have_text("svenska")  # names in the widget's language; the chat's language follows it (issue 12.7)
    await expect(widget.inside.get_by_role("group", name=CATALOGS["sv"]["language_switch.label"])).to_be_visible()

    await page.reload()
    await expect(widget.launcher).to_have_text(CATALOGS["sv"]["launcher.label"])  # the language is kept,
    await widget.open()  # the open panel is not (nothing of a chat is, unless the visitor keeps it)
    await expect(widget.heading(CATALOGS["sv"]["before.title"])).to_be_visible()
    await widget.button("suomi").click()
    await expect(widget.heading(CATALOGS["fi"]["before.title"])).to_be_visible()
    await expect(widget.panel.locator("#neuvo-title")).to_have_text(CATALOGS["fi"]["app.title"])
    await expect(widget.button(CATALOGS["fi"]["before.start"])).to_be_visible()
    await widget.button(CATALOGS["fi"]["panel.close"]).click()
    await expect(widget.launcher).to_have_text(CATALOGS["fi"]["launcher.label"])
