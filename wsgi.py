"""WSGI entry point for production servers: `gunicorn -k gevent wsgi:app` (see caravane serve)."""

from caravane import create_app

app = create_app()
