"""The offline-message inbox: messages visitors left while the service was closed or unstaffed.

An advisor claims a message (one advisor answers each), then answers it: by e-mail from here when
the visitor left an address and NEUVO_SMTP_* is set, or elsewhere and marks how. A claim can be
released by its holder, or by a coordinator (who sees every open claim), so a message is never
stuck with someone who is away. What is kept of an e-mail answer: who (the claimer), when and
how on the message, and an audit entry without text or address; the reply's text is not stored
(it stays in the form until the mail is sent, and is in the visitor's mailbox after).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.base import mail
from chat.web.context import clock_of, db_of, settings_of, tz_of
from chat.web.i18n import LANGUAGES, Translator, request_language
from chat.web.pages.common import checked_form, redirect, render, signed_in
from chat.web.pages.labels import chat_labels
from storage import offline, people
from storage.audit import audit
from storage.tables import OfflineMessage, User

DUTY_ROLES = ("advisor", "coordinator")
ANSWERED_HOW = ("email", "phone", "other")
INBOX = "/console/offline"


def _id(request: Request) -> int:
    return int(request.path_params["id"])


async def _page(request: Request, user: User, *, errors: dict[str, str] | None = None,
                kept: dict[int, str] | None = None, failure: str | None = None, status: int = 200) -> Response:
    """The inbox; after a failed send, with the error at the top and the reply kept in its box."""
    tz = tz_of(request)
    coordinator = user.role == "coordinator"
    async with db_of(request).transaction() as session:
        waiting = await offline.open_offline_messages(session, user_id=user.id or 0, others_claims=coordinator)
        names = {u.id: u.name for u in await people.all_users(session)}
    items = [{
        "message": m, "left_at": m.created_at.astimezone(tz), "address": mail.address_in(m.contact),
        "mine": m.claimed_by == user.id, "claimer": names.get(m.claimed_by) if m.claimed_by else None,
    } for m in waiting]
    return render(request, "console_offline.html", {
        "user": user, "labels": await chat_labels(request), "items": items, "how": ANSWERED_HOW,
        "notice": request.query_params.get("notice"), "mail_on": mail.configured(settings_of(request)),
        "mail_from": settings_of(request).smtp_from,
        "coordinator": coordinator, "errors": errors or {}, "kept": kept or {}, "failure": failure,
    }, status=status)


async def inbox(request: Request) -> Response:
    return await _page(request, await signed_in(request, *DUTY_ROLES))


async def claim(request: Request) -> Response:
    user = await signed_in(request, *DUTY_ROLES)
    await checked_form(request)
    async with db_of(request).transaction() as session:
        won = await offline.claim(session, message_id=_id(request), user_id=user.id or 0)
    return redirect(INBOX + ("" if won else "?notice=taken"))


async def release(request: Request) -> Response:
    """Give up a claim: one's own, or (a coordinator) anyone's. The form names whose claim it
    is, so a claim that changed hands meanwhile is left alone."""
    user = await signed_in(request, *DUTY_ROLES)
    form = await checked_form(request)
    claimer = str(form.get("claimer", ""))
    if not claimer.isdigit():
        raise HTTPException(400, "say whose claim to release")
    if int(claimer) != user.id and user.role != "coordinator":
        raise HTTPException(403, "only the claimer or a coordinator may release a claim")
    now = clock_of(request).now()
    async with db_of(request).transaction() as session:
        done = await offline.release(session, message_id=_id(request), claimed_by=int(claimer))
        holder = await people.user_and_organisation(session, user_id=int(claimer))
        if done:
            whose = holder[0].username if holder else claimer
            await audit(session, actor=user.username, action="offline_release",
                        detail=f"offline message {_id(request)}, claimed by {whose}", now=now)
    return redirect(INBOX + ("?notice=released" if done else "?notice=changed"))


async def answered(request: Request) -> Response:
    user = await signed_in(request, *DUTY_ROLES)
    form = await checked_form(request)
    how = str(form.get("how", ""))
    if how not in ANSWERED_HOW:
        raise HTTPException(400, "choose how the message was answered")
    async with db_of(request).transaction() as session:
        done = await offline.mark_answered(
            session, message_id=_id(request), user_id=user.id or 0, how=how, now=clock_of(request).now(),
        )
    return redirect(INBOX + ("?notice=answered" if done else "?notice=not_yours"))


def _reply_mail(request: Request, message: OfflineMessage, *, to: str, reply: str, signature: str) -> mail.Mail:
    """The answer in the visitor's language, signed, with what they wrote quoted below it."""
    tz = tz_of(request)
    t = Translator(message.language if message.language in LANGUAGES else request_language(request), tz=tz)
    left_at = message.created_at.astimezone(tz)
    quoted = "\n".join(f"> {line}" for line in message.text.splitlines())
    reply = reply.replace("\r\n", "\n")  # as a browser posts a textarea
    body = f"{reply}\n\n-- \n{signature}\n\n{t('mail.reply.you_wrote', when=left_at)}\n{quoted}\n"
    return mail.Mail(to=to, subject=t("mail.reply.subject", day=left_at.date()), body=body)


async def reply(request: Request) -> Response:
    """Answer a claimed message by e-mail. The answer is recorded first, in one conditional
    UPDATE, so a second click (or tab) finds it answered and sends nothing; if the mail server
    then refuses, the record is taken back and the page shows why, the reply still in its box."""
    user = await signed_in(request, *DUTY_ROLES)
    form = await checked_form(request)
    settings, t = settings_of(request), Translator(request_language(request))
    message_id, text = _id(request), str(form.get("reply", "")).strip()
    field = f"reply-{message_id}"
    if not mail.configured(settings):
        raise HTTPException(409, t("console.offline.mail_off"))
    if not text:
        return await _page(request, user, errors={field: t("console.offline.reply.missing")}, status=400)
    now = clock_of(request).now()
    async with db_of(request).transaction() as session:
        message = await offline.offline_message(session, message_id=message_id)
        address = mail.address_in(message.contact) if message else None
        if message is None or address is None:
            raise HTTPException(404, t("console.offline.reply.no_address"))
        if message.answered_at is None and message.claimed_by != user.id:
            return redirect(INBOX + "?notice=not_yours")  # claim it first: one advisor answers each
        if not await offline.mark_answered(session, message_id=message_id, user_id=user.id or 0, how="email", now=now):
            return redirect(INBOX + "?notice=already_answered")
        found = await people.user_and_organisation(session, user_id=user.id or 0)
    signature = f"{user.name}, {found[1].name}" if found else user.name
    try:
        await mail.send(settings, _reply_mail(request, message, to=address, reply=text, signature=signature), now=now)
    except mail.MailFailed as failed:
        async with db_of(request).transaction() as session:
            await offline.unmark_answered(session, message_id=message_id, user_id=user.id or 0)
        return await _page(request, user, errors={field: t(f"console.offline.reply.failed.{failed.reason}")},
                           kept={message_id: text}, failure=failed.detail, status=502)
    async with db_of(request).transaction() as session:
        await audit(session, actor=user.username, action="offline_reply",
                    detail=f"offline message {message_id} answered by e-mail", now=now)
    return redirect(INBOX + "?notice=sent")


routes = [
    Route(INBOX, inbox),
    Route(INBOX + "/{id:int}/claim", claim, methods=["POST"]),
    Route(INBOX + "/{id:int}/release", release, methods=["POST"]),
    Route(INBOX + "/{id:int}/answered", answered, methods=["POST"]),
    Route(INBOX + "/{id:int}/reply", reply, methods=["POST"]),
]
