"""Notification e-mails through a real SMTP server (aiosmtpd) started here: delivered when it is up,
kept pending and retried with back-off while it is down, never lost."""

import socket
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from matcher.errors import ConfigError
from matcher.notify import backoff, deliver_due, notify, smtp_address


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def handle_message(self, message) -> None:  # type: ignore[no-untyped-def]
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_outbox_survives_the_server_being_down_then_delivers(sample_engine):
    store = sample_engine.store
    from matcher.keys import create_key

    create_key(store, "supplier", supplier="BAT-002", email="atelier@example.org")
    with store.transaction():
        notify(store, "supplier", "BAT-002", "new_match", {"request_id": "R07", "supplier_id": "BAT-002"})
    port = _free_port()
    url = f"smtp://127.0.0.1:{port}"
    t0 = time.time()
    contact = store.get_supplier("BAT-002").contact_email  # the sheet's address, and the key's
    assert deliver_due(store, url, at=t0) == (0, 2)  # nobody listens: kept, tried again later
    assert {r["email"] for r in store.outbox()} == {"atelier@example.org", contact}
    row = store.outbox()[0]
    assert (row["email_state"], row["attempts"]) == ("pending", 1)
    assert row["next_attempt"] == pytest.approx(t0 + backoff(1)) and "Connection refused" in row["last_error"]
    assert deliver_due(store, url, at=t0 + 1) == (0, 0)  # not due yet: no attempt
    assert deliver_due(store, url, at=t0 + backoff(1)) == (0, 2)  # due, still down: the wait doubles
    assert store.outbox()[0]["next_attempt"] == pytest.approx(t0 + backoff(1) + backoff(2))
    assert backoff(2) == 2 * backoff(1) and backoff(50) == 3600

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert deliver_due(store, url, at=t0 + 10_000) == (2, 0)
        assert deliver_due(store, url, at=t0 + 20_000) == (0, 0)  # sent once, not again
    finally:
        server.stop()
    assert sorted(m["To"] for m in inbox.messages) == sorted(["atelier@example.org", contact])
    mail = inbox.messages[0]
    body = mail.get_payload(decode=True).decode("utf-8")
    assert "Une nouvelle demande d'acheteur R07 correspond à votre atelier BAT-002." in body
    for row in store.outbox():
        assert (row["email_state"], row["attempts"], row["last_error"]) == ("sent", 3, None) and row["sent_at"]


def test_bad_smtp_urls_are_refused():
    assert smtp_address("smtp://mail.example.org:2525") == ("mail.example.org", 2525)
    with pytest.raises(ConfigError, match=r"^MATCHER_SMTP_URL must look like smtp://host:port \(got 'http://x'\)$"):
        smtp_address("http://x")
