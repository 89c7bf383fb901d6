"""WSGI entry point for production servers: `gunicorn -k gevent wsgi:app` (see caravane serve)."""

from caravane import create_app, retention

app = create_app()
# Only a serving process forgets on schedule: not the tests, not the command line.
retention.start_schedule(app)
