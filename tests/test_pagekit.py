"""Page guards through the test client: sign-in, roles, CSRF, escaping."""

import re

from tests.conftest import engine_of


def _sign_in(client, key):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"key": key, "csrf": token}).status_code == 302
    page = client.get("/buyer").get_data(as_text=True)  # signing in issues a new session and token
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_forms_without_the_session_token_are_refused(client, keys):
    assert client.post("/login", data={"key": keys["team"]}).status_code == 400
    token = _sign_in(client, keys["buyer"])
    assert client.post("/buyer", data={"description": "x", "quantity": "1"}).status_code == 400
    ok = client.post("/buyer", data={"description": "plateaux", "quantity": "1", "csrf": token})
    assert ok.status_code == 200 and 'id="results"' in ok.get_data(as_text=True)


def test_guards_redirect_strangers_and_refuse_other_roles(client, keys):
    r = client.get("/team")
    assert r.status_code == 302 and r.headers["Location"] == "/login?next=/team"
    _sign_in(client, keys["evaluator"])
    assert client.get("/buyer").status_code == 403 and client.get("/team").status_code == 403


def test_login_never_redirects_off_site(client, keys):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = client.post("/login?next=//evil.example/x", data={"key": keys["team"], "csrf": token})
    assert r.headers["Location"] == "/team"


def test_data_is_escaped_on_pages(client, keys, app):
    from matcher.schema import Supplier

    engine_of(app).store.upsert_suppliers([Supplier(
        supplier_id="XSS-1", name="<script>alert(1)</script>", country="DZ", description="<img src=x onerror=a()>",
        products=["plateaux"], monthly_capacity=10, lead_time_days=10)])
    _sign_in(client, keys["team"])
    html = client.get("/team?q=XSS").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_team_page_caps_long_lists(client, keys, app, monkeypatch):
    from matcher_web import pages

    monkeypatch.setattr(pages, "TEAM_PAGE_ROWS", 5)
    _sign_in(client, keys["team"])
    html = client.get("/team?lang=en").get_data(as_text=True)
    assert "Suppliers (42/42)" in html and "First 5 shown: refine the search to see others." in html
    assert html.count("<tr><td>") == 5
