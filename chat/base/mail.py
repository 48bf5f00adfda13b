"""Outgoing e-mail over SMTP (NEUVO_SMTP_*), for answers to offline messages.

The standard library's smtplib, run in a worker thread so the event loop never waits on the mail
server: a few answers a day need no asynchronous client of their own. One connection per mail:
connect, STARTTLS (unless NEUVO_SMTP_STARTTLS is off), sign in when NEUVO_SMTP_USER is set,
send, quit. Every failure is a `MailFailed` whose `reason` says which step failed and whose
`detail` is the server's own reply, for the person who sent it; nothing here logs.
"""

from __future__ import annotations

import asyncio
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from chat.base.settings import Settings

TIMEOUT_S = 20.0
# An address as people write one among other contact details ("maija@example.fi, 040 123"): no
# spaces, brackets or separators, so nothing around it (and no line break) reaches a header.
ADDRESS = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"'@]+\.[^\s<>()\[\],;:\"'@.]{2,}")


def address_in(contact: str | None) -> str | None:
    """The first e-mail address in contact details a visitor typed, if any."""
    found = ADDRESS.search(contact or "")
    return found.group(0).rstrip(".") if found else None


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


class MailFailed(Exception):
    """The mail was not sent. `reason`: "unreachable" (no connection), "tls" (STARTTLS failed),
    "sign_in" (the server refused the user and password), "refused" (sender or recipient
    refused), "failed" (anything else the server said); `detail`: the server's reply or the
    error's own words."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def configured(settings: Settings) -> bool:
    return bool(settings.smtp_host and settings.smtp_from)


def _message(settings: Settings, mail: Mail, now: datetime) -> EmailMessage:
    sender = settings.smtp_from or ""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    message.set_content(mail.body)
    return message


def _reply_text(error: smtplib.SMTPResponseException) -> str:
    text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else str(error.smtp_error)
    return f"{error.smtp_code} {text}"


def _send_now(settings: Settings, message: EmailMessage) -> None:
    assert settings.smtp_host is not None
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_S) as smtp:
            if settings.smtp_starttls:
                try:
                    smtp.starttls(context=ssl.create_default_context())
                except (smtplib.SMTPException, ssl.SSLError) as error:
                    raise MailFailed("tls", str(error)) from None
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as error:
        raise MailFailed("sign_in", _reply_text(error)) from None
    except smtplib.SMTPRecipientsRefused as error:
        raise MailFailed("refused", "; ".join(f"{code} {text.decode(errors='replace')}"
                                              for code, text in error.recipients.values())) from None
    except smtplib.SMTPSenderRefused as error:
        raise MailFailed("refused", _reply_text(error)) from None
    except smtplib.SMTPResponseException as error:
        raise MailFailed("failed", _reply_text(error)) from None
    except smtplib.SMTPException as error:
        raise MailFailed("failed", str(error)) from None
    except OSError as error:  # refused, unreachable, timed out, name not found
        where = f"{settings.smtp_host}:{settings.smtp_port}"
        raise MailFailed("unreachable", f"{where}: {error.strerror or error}") from None


async def send(settings: Settings, mail: Mail, *, now: datetime) -> None:
    """Send `mail` from NEUVO_SMTP_FROM, dated `now` (the service's clock); raises `MailFailed`."""
    await asyncio.to_thread(_send_now, settings, _message(settings, mail, now))
