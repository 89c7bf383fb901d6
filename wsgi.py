"""WSGI entry point for production servers: `gunicorn -k gevent wsgi:app` (see caravane serve)."""

from caravane import assistant, create_app
from caravane.board import service

app = create_app()
# Only a serving process forgets on schedule: not the tests, not the command line.
service.start_retention_schedule(app)
# Load the language model now: loaded on the first question, it froze every socket for ~0.7 s.
assistant.detect_language("Préchauffage du modèle de langue avant la première question.")
