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
