"""The tour's pages as a visitor sees them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from icalendar import Calendar
from sqlalchemy import select

from caravane.extensions import db
from caravane.tour import views
from caravane.tour.models import TOUR_TIMEZONE, Stop
from caravane.typography import french_interface
from caravane.vocabulary import BoardStatus


def test_tour_lists_the_three_stops_in_order(client):
    page = client.get("/").get_data(as_text=True)
    assert "La caravane Technopolice dans les Hauts-de-France" in page
    calais, roubaix, lille = (page.index(f'href="/{slug}"') for slug in ("calais", "roubaix",
                                                                          "lille"))
    assert calais < roubaix < lille
    assert "mardi 21 juin 2022, 18 h" in page
    assert "mercredi 22 juin 2022, 19 h" in page
    assert "vendredi 24 juin 2022, 18 h" in page


def test_calais_page_tells_when_where_with_whom_and_why(client):
    page = client.get("/calais").get_data(as_text=True)
    assert "mardi 21 juin 2022, 18 h" in page
    assert "Maison d&#39;entraide et des ressources" in page
    assert "Pierre Bonnevalle" in page and "journaliste indépendant" in page
    assert "Human Rights Observers" in page and "Utopia 56" in page
    for fact in ("Grillages électriques", "scanners", "caméras thermiques", "drones", "exilées"):
        assert fact in page


def test_roubaix_page_has_the_local_surveillance_facts(client):
    page = client.get("/roubaix").get_data(as_text=True)
    assert "126 avenue Jean Lebas" in page and "Étoile Syrienne" in page
    assert "mercredi 22 juin 2022, 19 h" in page
    for fact in ("centre de surveillance urbain", "Briefcam", "de 50 à plus de 300", "450",
                 "2 millions d&#39;euros", "2020 et 2023", "première ville de France"):
        assert fact in page
    assert "Ligue des droits de l&#39;Homme" in page and "Cercle Roubaisien" in page


def test_lille_page_has_the_local_surveillance_facts(client):
    page = client.get("/lille").get_data(as_text=True)
    assert "Maison des associations, salle 13, 3e étage" in page
    assert "27 rue Jean Bart" in page
    for fact in ("MEL", "centre de supervision urbain", "Map Revelation", "Sûreté Globale",
                 "police prédictive", "La Brique"):
        assert fact in page


def test_stop_page_links_to_openstreetmap_without_embedding_it(client):
    page = client.get("/roubaix").get_data(as_text=True)
    assert 'href="https://www.openstreetmap.org/search?query=126+avenue+Jean+Lebas' in page
    assert "<iframe" not in page


def test_calendar_event_parses_with_paris_time_and_location(client):
    response = client.get("/roubaix.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    [event] = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert (start.year, start.month, start.day, start.hour) == (2022, 6, 22, 19)
    assert str(start.tzinfo) == "Europe/Paris"
    assert start.utcoffset().total_seconds() == 7200
    assert "126 avenue Jean Lebas" in str(event["location"])
    assert str(event["url"]).endswith("/roubaix")
    assert "Briefcam" in str(event["description"])
    assert calendar.walk("VTIMEZONE"), "the timezone must travel with the event"


def test_unknown_stop_is_a_french_404_page(client):
    for url in ("/dunkerque", "/dunkerque.ics", "/dunkerque/questions", "/dunkerque/ecran"):
        response = client.get(url, headers={"Accept-Language": "fr"})
        assert response.status_code == 404
        assert "Page introuvable" in response.get_data(as_text=True)
        assert "Traceback" not in response.get_data(as_text=True)


def test_every_page_sends_the_security_headers(client):
    for url in ("/", "/calais", "/calais/questions", "/calais/ecran", "/nulle-part"):
        headers = client.get(url).headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"


def test_pages_load_nothing_from_another_origin(client):
    import re

    for url in ("/", "/calais", "/calais/questions", "/calais/ecran", "/connexion"):
        page = client.get(url).get_data(as_text=True)
        sources = re.findall(r'(?:src|href)="([^"]+)"', page)
        loaded = re.findall(r'<(?:script|link|img)[^>]*(?:src|href)="([^"]+)"', page)
        assert all(not src.startswith(("http:", "https:", "//")) for src in loaded), loaded
        assert sources


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_browser_language_is_used_when_nothing_was_chosen(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
    assert "Tuesday 21 June 2022" in page


def test_language_switch_is_a_link_that_sets_a_cookie_not_a_session(app):
    client = app.test_client()
    page = client.get("/calais", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'href="/langue?lang=ar&amp;next=/calais"' in page
    response = client.get("/langue?lang=ar&next=/calais")
    assert response.status_code == 303 and response.headers["Location"] == "/calais"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=ar;") and "SameSite=Lax" in cookie
    assert "session=" not in response.headers.get("Set-Cookie", "")
    page = client.get("/calais", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    # A language nobody offers sets nothing, and still leads back.
    response = client.get("/langue?lang=xx&next=/calais")
    assert response.status_code == 303 and "Set-Cookie" not in response.headers


def test_language_switch_never_redirects_elsewhere(client):
    response = client.get("/langue", query_string={"lang": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    response = client.get("/langue", query_string={"lang": "en", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


ENGLISH, ARABIC = {"Accept-Language": "en"}, {"Accept-Language": "ar"}


def test_english_pages_show_the_stop_and_the_tour_in_english(client):
    page = client.get("/roubaix", headers=ENGLISH).get_data(as_text=True)
    assert '<p class="lead">Roubaix: cameras, a surveillance centre and algorithmic video' in page
    assert "In Roubaix, the Technopolice is well established" in page
    assert "Under mayor Guillaume Delbar, the number of cameras has risen" in page
    assert "<li>At least 2 million euros from 2020 to 2023</li>" in page
    assert "partner organisation" in page
    for french in ("la Technopolice est bien implantée", "Sous les mandats du maire",
                   "association partenaire"):
        assert french not in page
    # Names, venues and addresses stay as they are.
    assert "Restaurant l&#39;Étoile Syrienne" in page and "126 avenue Jean Lebas" in page

    tour = client.get("/", headers=ENGLISH).get_data(as_text=True)
    assert ">The Technopolice caravan in Hauts-de-France</h1>" in tour
    assert "three public evenings to debate urban surveillance" in tour
    assert "Long reluctant, Lille has caught up with the Technopolice" in tour


def test_arabic_pages_show_the_stop_in_arabic_right_to_left(client):
    page = client.get("/lille", headers=ARABIC).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert '<p class="lead">ليل: المتروبول ومركز الإشراف والشرطة التنبؤية</p>' in page
    assert "<li>Map Revelation، برنامج للشرطة التنبؤية من Sûreté Globale</li>" in page
    assert '<strong dir="auto">LDH Lille</strong>، <span class="guest-role">رابطة حقوق' in page
    assert "Longtemps réticente" not in page and "journal local de critique sociale" not in page
    # The address reads left to right inside the Arabic line.
    assert '<span lang="fr" dir="auto">27 rue Jean Bart, 59000 Lille</span>' in page

    tour = client.get("/", headers=ARABIC).get_data(as_text=True)
    assert '<h1 class="hero-title">قافلة «تكنوبوليس» في منطقة أو دو فرانس</h1>' in tour


def test_french_pages_mark_nothing_as_a_fallback(client):
    page = client.get("/calais", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<p class="lead">Calais : la surveillance au service des politiques migratoires' in page
    assert '<p class="summary">À Calais, la Technopolice' in page
    assert '<span class="guest-role">journaliste indépendant</span>' in page


def test_a_missing_translation_is_shown_in_french_marked_as_french(app, client):
    with app.app_context():
        stop = db.session.scalar(select(Stop).filter_by(slug="calais"))
        english, arabic = dict(stop.translations["en"]), dict(stop.translations["ar"])
        del english["title"], english["facts"], arabic["summary"], arabic["roles"]
        stop.translations = {"en": english, "ar": arabic}
        db.session.commit()

    page = client.get("/calais", headers=ENGLISH).get_data(as_text=True)
    assert ('<p class="lead" lang="fr">Calais : la surveillance au service des politiques '
            'migratoires</p>') in page
    assert '<ul class="fact-list" lang="fr" aria-label="In brief">' in page
    assert "<li>Grillages électriques, scanners et capteurs</li>" in page
    assert '<p class="summary">In Calais, the Technopolice is the expression' in page

    page = client.get("/calais", headers=ARABIC).get_data(as_text=True)
    assert '<p class="summary" lang="fr" dir="ltr">À Calais, la Technopolice' in page
    assert '<span class="guest-role" lang="fr" dir="ltr">journaliste indépendant</span>' in page
    assert '<p class="lead">كاليه: المراقبة في خدمة سياسات الهجرة</p>' in page

    cards = client.get("/", headers=ARABIC).get_data(as_text=True)
    assert '<span class="stop-summary" lang="fr" dir="ltr">À Calais, la Technopolice' in cards


LIVE_LINK = 'class="live-board-link" href="/calais/questions"'


def set_board(app, slug: str, status: BoardStatus) -> None:
    with app.app_context():
        db.session.scalar(select(Stop).filter_by(slug=slug)).board_status = status
        db.session.commit()


def test_the_live_board_link_tops_the_stop_page_on_the_evening_only(app, client, monkeypatch):
    monkeypatch.setattr(views, "tour_today", lambda: date(2022, 6, 21))
    page = client.get("/calais", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert LIVE_LINK in page
    assert page.index(LIVE_LINK) < page.index('class="stop-hero"')
    assert french_interface("Questions en direct : posez et soutenez les questions") in page
    # Roubaix's evening is the next day: no link there yet.
    assert "live-board-link" not in client.get("/roubaix").get_data(as_text=True)

    set_board(app, "calais", BoardStatus.VOTING_ONLY)
    page = client.get("/calais", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert LIVE_LINK in page
    assert french_interface("Questions en direct : soutenez les questions") in page

    set_board(app, "calais", BoardStatus.CLOSED)
    assert "live-board-link" not in client.get("/calais").get_data(as_text=True)


def test_no_live_board_link_the_day_before_or_after(client, monkeypatch):
    for day in (date(2022, 6, 20), date(2022, 6, 22)):
        monkeypatch.setattr(views, "tour_today", lambda day=day: day)
        assert "live-board-link" not in client.get("/calais").get_data(as_text=True)


def test_the_tours_today_is_the_date_in_paris():
    # 23:30 UTC on 20 June is already 21 June in Paris (UTC+2 in summer).
    late_utc = datetime(2022, 6, 20, 23, 30, tzinfo=UTC)
    assert late_utc.astimezone(TOUR_TIMEZONE).date() == date(2022, 6, 21)
    assert views.tour_today() == datetime.now(TOUR_TIMEZONE).date()
