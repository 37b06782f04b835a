"""Notifications: an in-app list per buyer and per supplier, and e-mail through an outbox.

:func:`notify` writes the notification (in the caller's transaction) with one outbox row per known
address: the e-mails given with the recipient's keys and, for a supplier, its contact e-mail.
:func:`deliver_due` hands due rows to the SMTP server named by ``MATCHER_SMTP_URL``
(``smtp://host:port``); a row the server did not take stays pending and is tried again after
a back-off that doubles per attempt (``bounds.NOTIFY_RETRY_BASE_S`` up to ``NOTIFY_RETRY_MAX_S``), so
a message is never lost while the server is down. Texts are catalogue messages ``notify.<event>``.
"""

from __future__ import annotations

import json
import logging
import smtplib
import threading
import time
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from matcher import i18n
from matcher.bounds import NOTIFY_RETRY_BASE_S, NOTIFY_RETRY_MAX_S, NOTIFY_SMTP_TIMEOUT_S
from matcher.errors import ConfigError

EVENTS = ("meeting_requested", "meeting_accepted", "meeting_declined", "meeting_withdrawn", "new_match", "agenda")
SENDER = "artisan-matcher@localhost"
log = logging.getLogger("matcher.outbox")


def notify(store: Any, recipient_kind: str, recipient: str, event: str, params: dict[str, Any]) -> None:
    """Tell a buyer (by buyer name) or a supplier (by id) about ``event``; see the module docstring."""
    if event not in EVENTS:
        raise ValueError(f"unknown notification event '{event}'")
    emails = store.key_emails(recipient_kind, recipient)
    if recipient_kind == "supplier":
        found = store.get_suppliers([recipient]).get(recipient)
        if found is not None and found.contact_email:
            emails.append(found.contact_email)
    store.add_notification(recipient_kind, recipient, event, json.dumps(params, sort_keys=True),
                           list(dict.fromkeys(emails)))


def tell_matched(store: Any, request_id: str, supplier_ids: list[str]) -> None:
    """A new request matches these suppliers (forward matching offers them): each is told."""
    with store.transaction():
        for sid in supplier_ids:
            notify(store, "supplier", sid, "new_match", {"request_id": request_id, "supplier_id": sid})


def text(row: dict[str, Any], locale: str | None) -> str:
    """A notification row as a sentence in ``locale``."""
    return i18n.msg(locale, f"notify.{row['event']}", **json.loads(row["params"]))


def smtp_address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme != "smtp" or not parts.hostname:
        raise ConfigError(f"MATCHER_SMTP_URL must look like smtp://host:port (got '{url}')")
    return parts.hostname, parts.port or 25


def backoff(attempts: int) -> float:
    """Seconds before the next try after ``attempts`` failed ones."""
    return float(min(NOTIFY_RETRY_BASE_S * 2 ** max(attempts - 1, 0), NOTIFY_RETRY_MAX_S))


def deliver_due(store: Any, smtp_url: str, at: float | None = None, locale: str = "fr") -> tuple[int, int]:
    """Send every due outbox e-mail; (sent, still pending after this try)."""
    at = time.time() if at is None else at
    host, port = smtp_address(smtp_url)
    rows = store.due_emails(at)
    sent = 0
    for row in rows:
        message = EmailMessage()
        message["From"], message["To"] = SENDER, row["email"]
        message["Subject"] = i18n.msg(locale, "notify.subject")
        message.set_content(f"{text(row, locale)}\n\n{text(row, 'en')}\n")
        try:
            with smtplib.SMTP(host, port, timeout=NOTIFY_SMTP_TIMEOUT_S) as smtp:
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            attempts = int(row["attempts"]) + 1
            store.email_failed(row["notification_id"], f"{type(exc).__name__}: {exc}", at + backoff(attempts))
            continue
        store.email_sent(row["notification_id"])
        sent += 1
    return sent, len(rows) - sent


class OutboxSender(threading.Thread):
    """Delivers the outbox every ``interval`` seconds until stopped (one per server process)."""

    def __init__(self, open_store: Any, smtp_url: str, interval: float = 10.0) -> None:
        super().__init__(name="matcher-outbox", daemon=True)
        smtp_address(smtp_url)  # a bad URL fails at start-up, not in the thread
        self.open_store, self.smtp_url, self.interval = open_store, smtp_url, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            store = self.open_store()
            try:
                deliver_due(store, self.smtp_url)
            except Exception:
                pass
            finally:
                store.close()
