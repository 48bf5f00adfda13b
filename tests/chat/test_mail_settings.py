"""NEUVO_SMTP_* as settings, and the address an answer goes to, found in what a visitor typed."""

from __future__ import annotations

import pytest

from chat.base.mail import address_in
from chat.base.settings import Settings
from chat.ops.cli import CommandError, serve


@pytest.mark.parametrize(("contact", "address"), [
    ("Maija, maija@example.fi, 040 123", "maija@example.fi"),
    ("Maija Meikäläinen <maija.m@posti.example.fi>", "maija.m@posti.example.fi"),
    ("maija@example.fi.", "maija@example.fi"),
    ("mail: maija+neuvo@example.fi; puh 040 1", "maija+neuvo@example.fi"),
    ("x@example.fi\r\nBcc: someone@else.example", "x@example.fi"),  # nothing past a line break
    ("040 123 4567", None),
    ("maija at example dot fi", None),
    ("maija@localhost", None),
    ("", None),
    (None, None),
])
def test_the_address_in_contact_details(contact: str | None, address: str | None) -> None:
    assert address_in(contact) == address


def test_smtp_settings_come_from_neuvo_smtp_variables_and_the_password_stays_out_of_reprs() -> None:
    settings = Settings.from_env({
        "NEUVO_SMTP_HOST": "smtp.example.fi", "NEUVO_SMTP_PORT": "2525", "NEUVO_SMTP_USER": "neuvo",
        "NEUVO_SMTP_PASSWORD": "s3cret-pw", "NEUVO_SMTP_FROM": "Neuvo <neuvo@example.fi>",
        "NEUVO_SMTP_STARTTLS": "off",
    })
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_user, settings.smtp_password) == (
        "smtp.example.fi", 2525, "neuvo", "s3cret-pw")
    assert (settings.smtp_from, settings.smtp_starttls) == ("Neuvo <neuvo@example.fi>", False)
    assert "s3cret-pw" not in repr(settings)
    defaults = Settings.from_env({})
    assert (defaults.smtp_host, defaults.smtp_port, defaults.smtp_starttls) == (None, 587, True)


def test_serve_refuses_a_mail_server_without_a_from_address() -> None:
    with pytest.raises(CommandError, match="NEUVO_SMTP_FROM"):
        serve(Settings(smtp_host="smtp.example.fi"))
