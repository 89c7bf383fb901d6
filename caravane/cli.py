"""Command line: the tour, moderator accounts, questions (export, purge, the public record),
and the server."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from caravane.accounts import moderators
from caravane.board import export, retention, service
from caravane.extensions import db
from caravane.record import formats as record_formats
from caravane.record import rules as record
from caravane.tour.loader import TourFileError, load_tour
from caravane.tour.models import Stop

tour_cli = click.Group("tour", help="The tour and its stops.")
moderator_cli = click.Group("moderator", help="Moderator accounts.")
questions_cli = click.Group("questions", help="Questions asked at the stops.")


@tour_cli.command("load")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@with_appcontext
def tour_load(file: Path | None) -> None:
    """Load or update the tour from FILE (default: the tour shipped with caravane)."""
    try:
        result = load_tour(file)
    except TourFileError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"tour loaded: {result.created} created, {result.updated} updated, "
               f"{result.unchanged} unchanged")


def _account(change, *args, **options) -> None:
    """Make a change to the accounts, or stop with its reason."""
    try:
        change(*args, **options)
    except moderators.AccountError as error:
        raise click.ClickException(str(error)) from error


@moderator_cli.command("add")
@click.argument("login")
@click.option("--stop", "stops", multiple=True, metavar="STOP",
              help="A stop this moderator moderates (repeat for several).")
@click.option("--all", "every_stop", is_flag=True, help="Every stop: an organiser.")
@with_appcontext
def moderator_add(login: str, stops: tuple[str, ...], every_stop: bool) -> None:
    """Create a moderator; the password comes from a prompt, or standard input."""
    if not stops and not every_stop:
        raise click.UsageError("say which stops LOGIN moderates: --stop STOP (repeatable), "
                               "or --all")
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    _account(moderators.add, login, password, stops=stops, every_stop=every_stop)
    click.echo(f"moderator {login} added")


@moderator_cli.command("grant")
@click.argument("login")
@click.argument("stop")
@with_appcontext
def moderator_grant(login: str, stop: str) -> None:
    """Let LOGIN moderate STOP too."""
    _account(moderators.grant, login, stop)
    click.echo(f"{login} moderates {stop}")


@moderator_cli.command("revoke")
@click.argument("login")
@click.argument("stop")
@with_appcontext
def moderator_revoke(login: str, stop: str) -> None:
    """Stop LOGIN from moderating STOP (their open consoles of it are refused at once)."""
    _account(moderators.revoke, login, stop)
    click.echo(f"{login} no longer moderates {stop}")


@moderator_cli.command("list")
@with_appcontext
def moderator_list() -> None:
    """Each moderator and the stops they moderate."""
    for moderator in moderators.all_moderators():
        stops = "every stop" if moderator.every_stop else (
            ", ".join(stop.slug for stop in moderator.stops) or "no stop")
        click.echo(f"{moderator.login}: {stops}")


@moderator_cli.command("remove")
@click.argument("login")
@with_appcontext
def moderator_remove(login: str) -> None:
    if not moderators.remove(login):
        raise click.ClickException(f"no moderator {login!r}")
    click.echo(f"moderator {login} removed")


def _stop(slug: str) -> Stop:
    stop = db.session.scalar(select(Stop).filter_by(slug=slug))
    if stop is None:
        raise click.ClickException(f"no stop {slug!r}")
    return stop


@questions_cli.command("export")
@click.argument("stop")
@click.option("--format", "fmt", type=click.Choice(export.FORMATS), default="csv")
@click.option("--record", "as_record", is_flag=True,
              help="The stop's public record instead: the anonymous entries as published, or "
                   "as they would be if published now.")
@click.option("--lang", type=click.Choice(("fr", "en", "ar")), default="fr", show_default=True,
              help="The language of the record's Markdown headings.")
@with_appcontext
def questions_export(stop: str, fmt: str, as_record: bool, lang: str) -> None:
    """Write a stop's questions to standard output (never attendee tokens)."""
    if as_record:
        # Published or not: whoever runs the server may read it before publishing. While the
        # stop has questions it is rebuilt from them, after the purge it is the stored copy.
        found = _stop(stop)
        with force_locale(lang):
            body = record_formats.render(found, record.current_entries(found), fmt, lang)
    else:
        body = export.render(_stop(stop), fmt)
    click.echo(body, nl=False)


@questions_cli.command("publish")
@click.argument("stop")
@with_appcontext
def questions_publish(stop: str) -> None:
    """Publish STOP's public record (anonymous; updated from the questions while they last)."""
    found = _stop(stop)
    published = record.publish(found)
    count = len(published.entries or [])
    click.echo(f"record of {found.slug} published: {count} question"
               f"{'' if count == 1 else 's'}, at /{found.slug}/compte-rendu")


@questions_cli.command("unpublish")
@click.argument("stop")
@click.option("--forget", is_flag=True,
              help="Delete the record for good instead of hiding it (it cannot be published "
                   "again once the questions are purged).")
@with_appcontext
def questions_unpublish(stop: str, forget: bool) -> None:
    """Withdraw STOP's public record: its addresses answer 404; it is kept unless --forget."""
    found = _stop(stop)
    if forget:
        deleted = record.forget(found)
        click.echo(f"record of {found.slug} deleted" if deleted
                   else f"{found.slug} has no record: nothing deleted")
        return
    if record.unpublish(found) is None:
        click.echo(f"{found.slug} has no record: nothing to withdraw")
        return
    click.echo(f"record of {found.slug} withdrawn (kept: `questions publish {found.slug}` "
               f"publishes it again)")


@questions_cli.command("purge")
@click.argument("stop", required=False)
@click.option("--ended-before", type=click.DateTime(formats=["%Y-%m-%d"]))
@with_appcontext
def questions_purge(stop: str | None, ended_before: datetime | None) -> None:
    """Erase the questions, votes and attendee tokens of STOP, or of stops ended before DATE."""
    if bool(stop) == bool(ended_before):
        raise click.UsageError("give either STOP or --ended-before DATE")
    stops = [_stop(stop)] if stop else retention.stops_ended_before(ended_before)
    count = service.purge(stops)
    click.echo(f"{count} questions erased from {', '.join(s.slug for s in stops) or 'no stop'}")


def register(app: Flask) -> None:
    for group in (tour_cli, moderator_cli, questions_cli):
        app.cli.add_command(group)


def _create_app() -> Flask:
    from caravane import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main() -> None:
    """caravane: the tour's site and live question board."""


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Run the production server (gunicorn with a gevent worker)."""
    from caravane.server import run, unreachable_warning

    warning = unreachable_warning(host, _create_app())
    if warning:
        click.secho(warning, fg="yellow", err=True)
    run(host, port)
