"""WSGI entry point for production servers: `gunicorn -k gevent wsgi:app` (see caravane serve)."""

from caravane import assistant, create_app
from caravane.board import analysis, beat, service

app = create_app()
# Only a serving process forgets on schedule: not the tests, not the command line.
service.start_retention_schedule(app)
# Load the lexicons, the language model and the phone metadata now: loaded on the first
# question, they froze every socket for most of a second.
assistant.warm_up()
# Questions a stopped process stored but never analysed: the consoles get their flags now.
analysis.resume(app)
# Several processes sharing a message queue: watch it, and let pages catch up on what an outage
# lost (board/beat.py). Nothing to do with one process.
beat.start(app)
