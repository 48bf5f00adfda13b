"""Blocks of abusive visitors in force, as coordinators see them (a block's own id, duration and
expiry, nothing of the visitor: chat.live.blocks), and lifting one before it expires (audited)."""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.live.commands import AskBlocks, LiftBlock
from chat.web.context import live_of
from chat.web.i18n import Translator, request_language
from chat.web.pages.common import checked_form, redirect
from chat.web.pages.coordinator_base import coordinator, form_text, page


async def blocks_page(request: Request) -> Response:
    user = await coordinator(request)
    blocks = await live_of(request).run(AskBlocks())
    done = request.query_params.get("done")
    t = Translator(request_language(request))
    return page(request, "coordinator/blocks.html", user, {
        "blocks": [(b, datetime.fromisoformat(b.until)) for b in blocks],
        "done": t(f"coord.blocks.done.{done}") if done in ("lifted", "gone") else None,
    })


async def lift(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    lifted = await live_of(request).run(LiftBlock(user.username, form_text(form, "block")))
    return redirect(f"/coordinator/blocks?done={'lifted' if lifted else 'gone'}")


routes = [
    Route("/coordinator/blocks", blocks_page, methods=["GET"]),
    Route("/coordinator/blocks/lift", lift, methods=["POST"]),
]
