"""Apps configured like production on the points under test: CSRF on, rate limits on."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade

from caravane import create_app
from caravane.extensions import db
from caravane.tour.loader import load_tour
from tests.conftest import close_app


@pytest.fixture
def make_app(database_url):
    """Build an app on the test database with these settings; the schema is migrated once."""
    built = []

    def build(**overrides):
        settings = {
            "TESTING": True, "SECRET_KEY": "test secret", "DATABASE_URL": database_url,
            "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "PUBLIC_URL": None,
            **overrides,
        }
        app = create_app(settings)
        with app.app_context():
            if not built:
                upgrade(directory=app.extensions["migrate"].directory)
                load_tour()
            db.session.remove()
        built.append(app)
        return app

    yield build
    for app in built:
        close_app(app)
