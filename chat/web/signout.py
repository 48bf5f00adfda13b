"""Ending one browser's session: the session row goes, and the advisor sockets opened with it,
in whichever process, are told (`signed_out`) and closed with 4401."""

from __future__ import annotations

from starlette.requests import Request

from chat.base.digest import token_digest
from chat.live.commands import EndSessions
from chat.web.context import live_of, sessions_of


async def end_session(request: Request, token: str) -> None:
    sessions = sessions_of(request)
    user = await sessions.user_of(request.cookies)
    await sessions.sign_out(token)
    if user is not None:
        await live_of(request).run(EndSessions(user.username, session=token_digest(token)))
