"""Loading the tour file: idempotent, all or nothing, clear about what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from caravane.extensions import db
from caravane.tour.loader import default_tour_path
from caravane.tour.models import Stop


def stop_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Stop))


def test_loading_twice_changes_nothing(app, runner):
    result = runner.invoke(args=["tour", "load"])
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 3 unchanged" in result.output
    assert stop_count(app) == 3


def test_a_stop_changed_in_the_file_is_updated_not_duplicated(app, runner, tmp_path):
    changed = default_tour_path().read_text().replace(
        'venue = "Restaurant l\'Étoile Syrienne"', 'venue = "Salle Watremez"')
    path = tmp_path / "tour.toml"
    path.write_text(changed)
    result = runner.invoke(args=["tour", "load", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.output
    assert stop_count(app) == 3
    assert "Salle Watremez" in app.test_client().get("/roubaix").get_data(as_text=True)


def test_malformed_file_is_refused_with_its_line_and_nothing_changes(app, runner, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('[tour]\nslug = "x"\ntitle = "Broken\n')
    result = runner.invoke(args=["tour", "load", str(path)])
    assert result.exit_code != 0
    assert "line 3" in result.output
    assert stop_count(app) == 3


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "data:text/html,hi",
                                 "//evil.example", "laquadrature.net"])
def test_an_organiser_link_that_is_not_a_web_address_is_refused(app, runner, tmp_path, url):
    text = default_tour_path().read_text()
    path = tmp_path / "link.toml"
    path.write_text(text.replace('organiser_url = "https://www.laquadrature.net/"',
                                 f'organiser_url = "{url}"'))
    result = runner.invoke(args=["tour", "load", str(path)])
    assert result.exit_code != 0
    assert "tour.organiser_url: expected an http:// or https:// address" in result.output
    assert f'href="{url}"' not in app.test_client().get("/").get_data(as_text=True)


def test_missing_field_is_named_and_database_untouched(app, runner, tmp_path):
    text = default_tour_path().read_text()
    broken = text.replace('starts = 2022-06-24T18:00:00', 'starts = "vendredi"')
    broken = broken.replace('venue = "Salle', 'venue = "Salle')
    path: Path = tmp_path / "bad.toml"
    path.write_text(broken.replace('title = "Calais : la', 'title = "Calais modifié : la'))
    result = runner.invoke(args=["tour", "load", str(path)])
    assert result.exit_code != 0
    assert "stops[2].starts" in result.output
    assert "Calais modifié" not in app.test_client().get("/calais").get_data(as_text=True)


CALAIS_ENGLISH_TITLE = 'title = "Calais: surveillance in the service of migration policy"'


@pytest.mark.parametrize(("change", "message"), [
    (("[stops.translations.en]", "[stops.translations.de]"),
     "stops[0] (calais).translations.de: unknown language 'de'; expected one of en, ar"),
    ((CALAIS_ENGLISH_TITLE, CALAIS_ENGLISH_TITLE + '\nvenue = "Mutual aid house"'),
     "stops[0] (calais).translations.en.venue: not a translatable text"),
    ((CALAIS_ENGLISH_TITLE, "title = 42"),
     "stops[0] (calais).translations.en.title: expected a non-empty text"),
    ((CALAIS_ENGLISH_TITLE, 'title = "  "'),
     "stops[0] (calais).translations.en.title: expected a non-empty text"),
    ((CALAIS_ENGLISH_TITLE, 'title = ["Calais"]'),
     "stops[0] (calais).translations.en.title: expected a non-empty text"),
    (('  "CCTV, thermal cameras and drones",\n', ""),
     "stops[0] (calais).translations.en.facts: 2 items, the French text has 3"),
    (('  "CCTV, thermal cameras and drones",\n', '  "",\n'),
     "stops[0] (calais).translations.en.facts[1]: expected a non-empty text"),
    (('"Pierre Bonnevalle" = "independent journalist"', '"Pierre Bonneval" = "journalist"'),
     "stops[0] (calais).translations.en.roles: 'Pierre Bonneval' is not a guest of this stop"),
    (("[stops.translations.en]\nreviewed = false", "[stops.translations.en]\nreviewed = \"no\""),
     "stops[0] (calais).translations.en.reviewed: expected true or false"),
    (("[tour.translations.ar]\nreviewed = false", "[tour.translations.ar]\nsummary = \"x\""),
     "tour.translations.ar.summary: not a translatable text"),
])
def test_bad_translations_are_refused_by_name_and_nothing_stored_changes(
        app, runner, tmp_path, change, message):
    text = default_tour_path().read_text()
    old, new = change
    assert old in text
    # The same file also changes a French title: it must not be applied either.
    broken = text.replace(old, new, 1).replace('title = "Calais : la',
                                               'title = "Calais modifié : la')
    path = tmp_path / "bad.toml"
    path.write_text(broken)
    result = runner.invoke(args=["tour", "load", str(path)])
    assert result.exit_code != 0
    assert message in result.output
    client = app.test_client()
    assert "Calais modifié" not in client.get("/calais").get_data(as_text=True)
    english = client.get("/calais", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Calais: surveillance in the service of migration policy" in english
    assert "independent journalist" in english


def test_a_translation_left_out_of_the_file_falls_back_to_french_once_loaded(app, runner,
                                                                             tmp_path):
    text = default_tour_path().read_text()
    assert CALAIS_ENGLISH_TITLE in text
    path = tmp_path / "tour.toml"
    path.write_text(text.replace(CALAIS_ENGLISH_TITLE + "\n", "", 1))
    result = runner.invoke(args=["tour", "load", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.output
    page = app.test_client().get("/calais", headers={"Accept-Language": "en"})
    page = page.get_data(as_text=True)
    assert ('<p class="lead" lang="fr">Calais : la surveillance au service des politiques '
            'migratoires</p>') in page
    assert "In Calais, the Technopolice is the expression" in page


def test_every_shipped_stop_is_fully_translated_with_its_review_marker(app):
    with app.app_context():
        stops = db.session.scalars(select(Stop)).all()
        blocks = [stop.translations[lang] for stop in stops for lang in ("en", "ar")]
    assert len(blocks) == 6
    assert all(isinstance(block["reviewed"], bool) for block in blocks)
    assert all(set(block) == {"reviewed", "title", "summary", "context", "facts", "roles"}
               for block in blocks)
