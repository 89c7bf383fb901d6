"""The tour and stop pages are the same for every reader of a language: no cookie, an ETag,
304 when nothing changed, and a new ETag as soon as the tour, the language or the page's live
state changes."""

from __future__ import annotations

import gzip
from datetime import date

from caravane.board.models import Question
from caravane.extensions import db
from caravane.tour import views
from caravane.tour.models import Stop
from caravane.vocabulary import BoardStatus

FRENCH = {"Accept-Language": "fr"}


def test_a_visitor_who_asks_nothing_gets_no_cookie(app):
    for path in ("/", "/calais", "/roubaix", "/calais.ics", "/langue?lang=fr&next=/"):
        response = app.test_client().get(path, headers=FRENCH)
        assert "session=" not in response.headers.get("Set-Cookie", ""), path
    # The board is where one asks: loading it gives the phone its anonymous identity.
    board = app.test_client().get("/calais/questions", headers=FRENCH)
    assert board.headers["Set-Cookie"].startswith("session=")


def test_pages_carry_an_etag_and_an_unchanged_page_answers_304(client):
    for path in ("/", "/calais"):
        page = client.get(path, headers=FRENCH)
        assert page.status_code == 200 and page.headers["ETag"]
        assert "no-cache" in page.headers["Cache-Control"]
        assert "public" in page.headers["Cache-Control"]
        assert {"Accept-Language", "Cookie"} <= {v.strip() for v in page.headers["Vary"].split(",")}
        again = client.get(path, headers={**FRENCH, "If-None-Match": page.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == page.headers["ETag"]


def test_pages_made_for_one_visitor_are_kept_by_no_cache(app, moderator_client):
    """The board page holds the phone's own questions and form token, the console and its
    export a moderator's work: no proxy keeps them, nor the disk of a phone lent to someone."""
    board = app.test_client().get("/calais/questions", headers=FRENCH)
    assert board.headers["Cache-Control"] == "private, no-store"
    for path in ("/calais/moderation", "/calais/moderation/journal", "/calais/export.csv"):
        page = moderator_client.get(path, headers=FRENCH)
        assert page.status_code == 200, path
        assert page.headers["Cache-Control"] == "private, no-store", path


def test_each_name_the_site_answers_to_gets_its_own_share_link(app, client):
    # Without PUBLIC_URL the stop page's link is made from the name it was asked by: a copy
    # kept for one name is not served to the other.
    numeric = client.get("/calais", headers=FRENCH, base_url="http://127.0.0.1")
    named = client.get("/calais", headers=FRENCH)
    assert 'value="http://127.0.0.1/calais"' in numeric.get_data(as_text=True)
    assert 'value="http://localhost/calais"' in named.get_data(as_text=True)


def test_compressed_pages_are_the_same_page_with_their_own_etag(client):
    plain = client.get("/calais", headers=FRENCH)
    packed = client.get("/calais", headers={**FRENCH, "Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = client.get("/calais", headers={**FRENCH, "Accept-Encoding": "gzip",
                                           "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304


def test_a_new_language_or_a_new_tour_load_changes_the_etag(app, client, runner):
    french = client.get("/calais", headers=FRENCH)
    english = client.get("/calais", headers={"Accept-Language": "en"})
    assert english.headers["ETag"] != french.headers["ETag"]
    assert '<html lang="en"' in english.get_data(as_text=True)
    client.get("/langue?lang=ar&next=/calais")
    arabic = client.get("/calais", headers=FRENCH)
    assert '<html lang="ar" dir="rtl">' in arabic.get_data(as_text=True)
    assert arabic.headers["ETag"] not in (french.headers["ETag"], english.headers["ETag"])

    fresh = app.test_client()
    before = fresh.get("/calais", headers=FRENCH).headers["ETag"]
    assert runner.invoke(args=["tour", "load"]).exit_code == 0
    stale = fresh.get("/calais", headers={**FRENCH, "If-None-Match": before})
    assert stale.status_code == 200 and stale.headers["ETag"] != before


def test_a_published_record_and_the_evenings_board_change_the_stop_page(
    app, client, runner, monkeypatch
):
    before = client.get("/calais", headers=FRENCH)
    assert "compte-rendu" not in before.get_data(as_text=True)
    with app.app_context():
        stop = db.session.query(Stop).filter_by(slug="calais").one()
        db.session.add(Question(stop_id=stop.id, client_id="page-0001", status="approved",
                                text="Une question pour le compte rendu ?", attendee="x"))
        db.session.commit()
    assert runner.invoke(args=["questions", "publish", "calais"]).exit_code == 0
    after = client.get("/calais", headers={**FRENCH, "If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "/calais/compte-rendu" in after.get_data(as_text=True)

    monkeypatch.setattr(views, "tour_today", lambda: date(2022, 6, 21))
    live = client.get("/calais", headers=FRENCH)
    assert "live-board-link" in live.get_data(as_text=True)
    with app.app_context():
        db.session.query(Stop).filter_by(slug="calais").one().board_status = BoardStatus.CLOSED
        db.session.commit()
    closed = client.get("/calais", headers={**FRENCH, "If-None-Match": live.headers["ETag"]})
    assert closed.status_code == 200 and "live-board-link" not in closed.get_data(as_text=True)


def test_a_message_waiting_for_a_visitor_is_shown_and_never_shared(app):
    reader = app.test_client()
    with reader.session_transaction() as session:
        session["_flashes"] = [("message", "Vous êtes déconnecté·e.")]
    page = reader.get("/", headers=FRENCH)
    assert "Vous êtes déconnecté·e." in page.get_data(as_text=True)
    assert "ETag" not in page.headers
    other = app.test_client().get("/", headers=FRENCH)
    assert "Vous êtes déconnecté·e." not in other.get_data(as_text=True)
