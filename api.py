"""Flask app factory: the JSON API, the buyer and team pages, health and OpenAPI.

Run it with ``matcher serve`` (waitress). Configuration keys (``test_config`` or
environment): DATABASE (MATCHER_DB), PROFILE, EMBEDDER, MAX_CONTENT_LENGTH
(MATCHER_MAX_BODY, bytes), SECRET_KEY (MATCHER_SECRET_KEY; signs page sessions),
EVAL_* (judgments behind GET /api/v1/evaluation).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, jsonify, redirect, url_for

from matcher.engine import Engine
from matcher.store import Store

DATA = Path(__file__).resolve().parent / "data"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    from matcher_web import errors, fairs, openapi, pages, routes
    from matcher_web.service import State

    app = Flask(__name__, template_folder="matcher_web/templates", static_folder="matcher_web/static")
    app.config.from_mapping(
        DATABASE=os.environ.get("MATCHER_DB", "var/matcher.db"),
        PROFILE=None,
        EMBEDDER=None,
        MAX_CONTENT_LENGTH=int(os.environ.get("MATCHER_MAX_BODY", 5 * 1024 * 1024)),
        # A random key logs page users out on restart; set MATCHER_SECRET_KEY to keep sessions.
        SECRET_KEY=os.environ.get("MATCHER_SECRET_KEY") or secrets.token_hex(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        EVAL_REQUESTS=str(DATA / "requests.jsonl"),
        EVAL_QRELS=str(DATA / "eval" / "qrels.tsv"),
        EVAL_TWINS=str(DATA / "eval" / "twins.tsv"),
        EVAL_NO_MATCH=str(DATA / "eval" / "no_match.txt"),
        JSON_SORT_KEYS=False,
    )
    if test_config:
        app.config.update(test_config)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep ranked fields in model order
    store = Store(app.config["DATABASE"])
    engine = Engine(store, profile=app.config["PROFILE"], embedder=app.config["EMBEDDER"])
    app.extensions["matcher"] = State(engine)

    errors.register(app)
    app.register_blueprint(routes.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(fairs.bp)
    app.register_blueprint(fairs.pages_bp)

    @app.get("/healthz")
    def healthz() -> Any:
        """Liveness and what the server runs with."""
        state = app.extensions["matcher"]
        with state.lock:
            n = state.engine.store.count_suppliers()
        return {"status": "ok", "suppliers": n, "profile": f"{engine.profile.name}@{engine.profile.version}",
                "model": engine.embedder.name}

    @app.get("/api/v1/openapi.json", endpoint="openapi")
    def openapi_json() -> Any:
        """This document."""
        return jsonify(openapi.build(app))

    @app.get("/")
    def index() -> Any:
        return redirect(url_for("pages.buyer"))

    return app
