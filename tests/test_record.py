"""The public record of a debate (« compte rendu », issue 14): published after the evening by a
moderator or the command line, anonymous, and kept by the purge that erases everything else."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from caravane.accounts import moderators
from caravane.accounts.models import Moderator
from caravane.board import retention
from caravane.board.models import ModerationEvent, Question, Vote
from caravane.extensions import db
from caravane.links_in_text import linkify
from caravane.record import rules as record
from caravane.record.models import DebateRecord
from caravane.tour.models import Stop
from tests.conftest import PASSWORD, sign_in

ADDRESSES = ("/calais/compte-rendu", "/calais/compte-rendu.md", "/calais/compte-rendu.csv")
START = datetime(2022, 6, 21, 18, 40)

MOST_SUPPORTED = "Qui a accès aux images des caméras de la gare ?"
MERGED_KEPT = "Combien coûte la vidéosurveillance à Calais ?"
MERGED_AWAY = "Quel est le budget des caméras de Calais ?"
WRITTEN = "Que deviennent les images des drones <script>alert(1)</script> ?"
ANSWER = "Elles sont gardées 30 jours, voir https://www.calais.fr/cnil?x=1&y=2. Merci !"
UNANSWERED = "What does the prefecture do with the drone footage?"
REJECTED = "TEXTE-ECARTE-4b1d : propos écartés par la modération"
PENDING = "TEXTE-EN-ATTENTE-77e0 : pas encore relue"
SIGNED_SHOWN, SIGNED_HIDDEN = "Nadia Belkacem", "NOM-NON-AFFICHE-Martin"
TOKEN = "JETON-PARTICIPANT-c0ffee"


def ask(stop: Stop, text: str, *, status="approved", votes=0, minutes=0, **columns) -> Question:
    question = Question(
        stop_id=stop.id, client_id=str(uuid.uuid4()), attendee=f"{TOKEN}-{minutes}", text=text,
        language=columns.pop("language", "fr"), status=status, votes=votes,
        created_at=START + timedelta(minutes=minutes), **columns)
    db.session.add(question)
    db.session.flush()
    return question


def seed_evening(app, slug: str = "calais") -> None:
    """An evening as the board leaves it: published questions, a merged pair, a written
    answer, one set aside, one never read, names signed and shown or not, supports."""
    with app.app_context():
        stop = db.session.scalar(select(Stop).filter_by(slug=slug))
        ask(stop, UNANSWERED, votes=2, minutes=1, language="en")
        first = ask(stop, MOST_SUPPORTED, status="answered", votes=9, minutes=5,
                    name=SIGNED_SHOWN, show_name=True)
        kept = ask(stop, MERGED_KEPT, votes=5, minutes=2, asked_by=2,
                   name=SIGNED_HIDDEN, show_name=False)
        ask(stop, MERGED_AWAY, status="merged", votes=0, minutes=3, merged_into_id=kept.id)
        ask(stop, WRITTEN, votes=2, minutes=4, answer=ANSWER, answer_language="fr",
            answered_at=START + timedelta(hours=1))
        ask(stop, REJECTED, status="rejected", reject_reason="off_topic", votes=0, minutes=6)
        ask(stop, PENDING, status="pending", minutes=7)
        db.session.add(Vote(question_id=first.id, attendee=f"{TOKEN}-vote"))
        db.session.commit()


def stop_named(slug: str) -> Stop:
    return db.session.scalar(select(Stop).filter_by(slug=slug))


def publish(runner, slug="calais"):
    result = runner.invoke(args=["questions", "publish", slug])
    assert result.exit_code == 0, result.output
    return result


def sqlite_file(database_url: str) -> Path | None:
    """The SQLite file and its WAL, or None on PostgreSQL (which checks the tables only)."""
    if not database_url.startswith("sqlite:///"):
        return None
    return Path(database_url.removeprefix("sqlite:///"))


def stored_form(text: str) -> bytes:
    """A text as the record's JSON column holds it (accents escaped, \\u00fb)."""
    return json.dumps(text)[1:-1].encode()


def raw_bytes(path: Path) -> bytes:
    data = b""
    for part in sorted(path.parent.glob(path.name + "*")):
        with open(part, "rb") as handle:
            data += handle.read()
    return data


def test_every_address_of_the_record_answers_404_until_it_is_published(app, client, runner):
    seed_evening(app)
    for address in ADDRESSES:
        assert client.get(address).status_code == 404
    assert "compte-rendu" not in client.get("/calais").get_data(as_text=True)
    # The command line can read it before publishing; that publishes nothing.
    result = runner.invoke(args=["questions", "export", "calais", "--record", "--format", "md"])
    assert result.exit_code == 0 and MOST_SUPPORTED.removesuffix(" ?") in result.output
    for address in ADDRESSES:
        assert client.get(address).status_code == 404


def test_published_record_lists_the_room_questions_by_support_and_what_became_of_them(
    app, client, runner
):
    seed_evening(app)
    result = publish(runner)
    assert "record of calais published: 4 questions" in result.output
    page = client.get("/calais/compte-rendu", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)

    order = [html.index(text) for text in (
        MOST_SUPPORTED.replace(" ?", "\u202f?"), MERGED_KEPT.replace(" ?", "\u202f?"),
        UNANSWERED, "Que deviennent les images des drones")]
    assert order == sorted(order)  # 9, 5, then 2 and 2: the older first
    # The merged pair counts once, with how many asked it.
    assert MERGED_AWAY.replace(" ?", "\u202f?") not in html and "Quel est le budget" not in html
    assert "posée par 2 personnes" in html
    assert "posée par 1 personne" not in html
    assert "9 soutiens" in html
    assert html.count("répondue en séance") == 1 and html.count("réponse écrite") == 1
    assert html.count("pas encore de réponse") == 2
    # The written answer: its address a link that endorses nothing, the question's markup text.
    assert ('<a href="https://www.calais.fr/cnil?x=1&amp;y=2" '
            'rel="nofollow noopener noreferrer ugc">https://www.calais.fr/cnil?x=1&amp;y=2</a>.'
            ) in html
    assert '<p class="record-answer-text" lang="fr" dir="auto">' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    # Each text carries its own language.
    assert f'<p class="question-text" lang="en" dir="auto">{UNANSWERED}</p>' in html
    # Nothing set aside or unread, no name never shown, no token, no id.
    for absent in (REJECTED, PENDING, SIGNED_HIDDEN, TOKEN, "data-id", 'id="q'):
        assert absent not in html
    assert SIGNED_SHOWN in html
    # The stop page links to it now.
    assert 'href="/calais/compte-rendu"' in client.get("/calais").get_data(as_text=True)


def test_the_record_keeps_only_its_anonymous_fields(app, runner):
    seed_evening(app)
    publish(runner)
    with app.app_context():
        stored = db.session.scalar(select(DebateRecord)).entries
    assert [set(entry) for entry in stored] == [set(record.FIELDS)] * 4
    text = json.dumps(stored, ensure_ascii=False)
    for absent in (REJECTED, PENDING, SIGNED_HIDDEN, TOKEN, MERGED_AWAY, '"id"'):
        assert absent not in text
    assert [entry["votes"] for entry in stored] == [9, 5, 2, 2]
    assert [entry["name"] for entry in stored] == [SIGNED_SHOWN, None, None, None]
    assert stored[0]["answered_on_stage"] and not stored[1]["answered_on_stage"]
    assert stored[3]["answer"] == ANSWER and stored[3]["answer_language"] == "fr"


def test_markdown_and_csv_carry_the_same_entries_and_run_nothing(app, client, runner):
    seed_evening(app)
    with app.app_context():
        stop = stop_named("calais")
        ask(stop, "=HYPERLINK(\"https://evil.example\") ; vraie question ?", minutes=9)
        ask(stop, "[la réponse](javascript:alert(1)) est-elle *publique* ?", minutes=10)
        db.session.commit()
    publish(runner)

    markdown = client.get("/calais/compte-rendu.md", headers={"Accept-Language": "fr"})
    assert markdown.headers["Content-Type"] == "text/markdown; charset=utf-8"
    text = markdown.get_data(as_text=True)
    assert text.startswith("# Compte rendu des questions\u202f: Calais\n")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>" not in text
    assert "posée par 2 personnes" in text and "répondue en séance" in text
    assert "   > Elles sont gardées 30 jours" in text
    # Markdown shows the question's brackets and stars as written: no link, no emphasis.
    assert "\\[la réponse\\](javascript:alert(1)) est-elle \\*publique\\*" in text
    assert "[la réponse](" not in text
    for absent in (REJECTED, PENDING, SIGNED_HIDDEN, TOKEN, MERGED_AWAY):
        assert absent not in text

    response = client.get("/calais/compte-rendu.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == list(record.FIELDS)  # no id column
    assert [row["votes"] for row in rows] == ["9", "5", "2", "2", "0", "0"]
    assert rows[1]["asked_by"] == "2" and rows[0]["answered_on_stage"] == "yes"
    assert rows[4]["text"].startswith("'=HYPERLINK")  # a spreadsheet reads it as text
    assert SIGNED_HIDDEN not in response.get_data(as_text=True)


def test_a_moderator_publishes_and_withdraws_from_the_log_page(app, client, moderator_client):
    seed_evening(app)
    log_page = moderator_client.get("/calais/moderation/journal").get_data(as_text=True)
    assert 'action="/calais/moderation/compte-rendu"' in log_page
    assert "Pas encore publié" in log_page

    response = moderator_client.post("/calais/moderation/compte-rendu",
                                     data={"action": "publish"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/calais/moderation/journal#compte-rendu"
    log_page = moderator_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Compte rendu publié" in log_page  # the flash, in the moderator's language
    assert "camille a publié le compte rendu public" in log_page
    assert client.get("/calais/compte-rendu").status_code == 200

    moderator_client.post("/calais/moderation/compte-rendu", data={"action": "unpublish"})
    log_page = moderator_client.get("/calais/moderation/journal").get_data(as_text=True)
    assert "camille a retiré le compte rendu public" in log_page
    for address in ADDRESSES:
        assert client.get(address).status_code == 404
    moderator_client.post("/calais/moderation/compte-rendu", data={"action": "publish"})
    assert client.get("/calais/compte-rendu").status_code == 200
    with app.app_context():
        logged = db.session.scalars(select(ModerationEvent).filter_by(action="record")).all()
        assert [row.after for row in logged] == [
            {"record": "published"}, {"record": "unpublished"}, {"record": "published"}]
        assert all(row.question_id is None for row in logged)


def test_only_a_signed_in_moderator_of_the_stop_may_publish(app, client):
    with app.app_context():
        moderators.add("lou", PASSWORD, stops=["lille"])
    assert client.post("/calais/moderation/compte-rendu",
                       data={"action": "publish"}).status_code in (302, 303, 401)
    sign_in(client, "lou")
    assert client.post("/calais/moderation/compte-rendu",
                       data={"action": "publish"}).status_code == 403
    assert client.post("/lille/moderation/compte-rendu",
                       data={"action": "nonsense"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(DebateRecord)) is None


def test_the_form_needs_its_csrf_token(app, moderator_client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = moderator_client.post("/calais/moderation/compte-rendu",
                                     data={"action": "publish"})
    assert response.status_code == 400
    page = moderator_client.get("/calais/moderation/journal").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = moderator_client.post("/calais/moderation/compte-rendu",
                                     data={"action": "publish", "csrf_token": token})
    assert response.status_code == 303


def test_withdrawn_then_published_again_from_the_command_line(app, client, runner):
    seed_evening(app)
    publish(runner)
    result = runner.invoke(args=["questions", "unpublish", "calais"])
    assert result.exit_code == 0 and "withdrawn" in result.output
    for address in ADDRESSES:
        assert client.get(address).status_code == 404
    assert "compte-rendu" not in client.get("/calais").get_data(as_text=True)
    publish(runner)
    assert client.get("/calais/compte-rendu").status_code == 200
    with app.app_context():  # the command line names no one in the log
        assert db.session.query(ModerationEvent).filter_by(action="record").count() == 0


def test_an_unknown_stop_is_a_clear_error(runner):
    for args in (["publish", "nowhere"], ["unpublish", "nowhere"],
                 ["export", "nowhere", "--record"]):
        result = runner.invoke(args=["questions", *args])
        assert result.exit_code != 0
        assert "no stop 'nowhere'" in result.output


def test_the_purge_keeps_the_record_and_erases_everything_else(
    app, client, runner, database_url
):
    seed_evening(app)
    publish(runner)
    result = runner.invoke(args=["questions", "purge", "calais"])
    assert result.exit_code == 0, result.output

    html = client.get("/calais/compte-rendu").get_data(as_text=True)
    assert "posée par 2 personnes" in html and "https://www.calais.fr/cnil" in html
    with app.app_context():
        assert db.session.query(Question).count() == 0
        assert db.session.query(Vote).count() == 0
        assert db.session.query(ModerationEvent).count() == 0
        # A record alone is nothing left to erase: the daily purge does not come back for it.
        assert retention.expired_stops(datetime(2030, 1, 1), 30) == []

    path = sqlite_file(database_url)
    if path is not None:
        raw = raw_bytes(path)
        assert stored_form(MERGED_KEPT) in raw  # the record's text stays
        assert SIGNED_SHOWN.encode() in raw
        for gone in (TOKEN, REJECTED, PENDING, SIGNED_HIDDEN, MERGED_AWAY):
            assert gone.encode() not in raw, gone


def test_republishing_after_the_purge_keeps_the_entries(app, client, runner):
    seed_evening(app)
    publish(runner)
    runner.invoke(args=["questions", "unpublish", "calais"])
    assert runner.invoke(args=["questions", "purge", "calais"]).exit_code == 0
    result = publish(runner)
    assert "4 questions" in result.output
    html = client.get("/calais/compte-rendu").get_data(as_text=True)
    assert "Qui a accès aux images" in html
    result = runner.invoke(args=["questions", "export", "calais", "--record", "--format", "json"])
    assert len(json.loads(result.output)["entries"]) == 4


def test_forgetting_the_record_deletes_it_from_the_database_file(
    app, client, runner, database_url
):
    seed_evening(app)
    publish(runner)
    assert runner.invoke(args=["questions", "purge", "calais"]).exit_code == 0
    result = runner.invoke(args=["questions", "unpublish", "calais", "--forget"])
    assert result.exit_code == 0 and "deleted" in result.output
    for address in ADDRESSES:
        assert client.get(address).status_code == 404
    with app.app_context():
        assert db.session.query(DebateRecord).count() == 0
    path = sqlite_file(database_url)
    if path is not None:
        assert stored_form(MERGED_KEPT) not in raw_bytes(path)


def test_the_command_line_exports_the_record_in_three_formats(app, runner):
    seed_evening(app)
    outputs = {}
    for fmt in ("md", "csv", "json"):
        result = runner.invoke(args=["questions", "export", "calais", "--record",
                                     "--format", fmt])
        assert result.exit_code == 0, result.output
        outputs[fmt] = result.output
    assert json.loads(outputs["json"])["entries"][0]["text"] == MOST_SUPPORTED
    assert outputs["csv"].splitlines()[0] == ",".join(record.FIELDS)
    for output in outputs.values():
        for absent in (REJECTED, PENDING, SIGNED_HIDDEN, TOKEN):
            assert absent not in output
    # Without --record, the organisers' full export is unchanged (ids, statuses).
    full = runner.invoke(args=["questions", "export", "calais"]).output
    assert full.startswith("id,created_at,status")


def test_english_and_arabic_pages_keep_each_text_in_its_own_language(app, client, runner):
    seed_evening(app)
    publish(runner)
    english = client.get("/calais/compte-rendu", headers={"Accept-Language": "en"})
    html = english.get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    # The French questions are marked as French on an English page.
    assert '<p class="question-text" lang="fr" dir="auto">' in html
    assert "&lt;script&gt;" in html
    for words in ("<h1>Record of the questions</h1>", "asked by 2 people", "answered on stage",
                  "written answer", "not answered yet"):
        assert words in html, words
    markdown = client.get("/calais/compte-rendu.md", headers={"Accept-Language": "en"})
    assert markdown.get_data(as_text=True).startswith("# Record of the questions: Calais")
    arabic = client.get("/calais/compte-rendu", headers={"Accept-Language": "ar"})
    html = arabic.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    for words in ("<h1>محضر الأسئلة</h1>", "عدد السائلين: 2", "أُجيب عنه خلال الجلسة",
                  "إجابة مكتوبة", "لا إجابة بعد"):
        assert words in html, words
    assert f'<p class="question-text" lang="en" dir="auto">{UNANSWERED}</p>' in html
    assert "rel=\"nofollow noopener noreferrer ugc\"" in html


def test_publishing_a_stop_without_questions_publishes_an_empty_record(app, client, runner):
    publish(runner, "lille")
    html = client.get("/lille/compte-rendu", headers={"Accept-Language": "fr"})
    assert html.status_code == 200
    assert "Aucune question n’a été acceptée pour cette soirée." in html.get_data(as_text=True)


def test_the_rules_log_a_moderators_publication(app, moderator):
    seed_evening(app)
    with app.app_context():
        actor = db.session.scalar(select(Moderator).filter_by(login="camille"))
        stop = stop_named("calais")
        assert record.unpublish(stop, actor) is None  # nothing to withdraw: nothing logged
        record.publish(stop, actor)
        record.unpublish(stop, actor)
        rows = db.session.scalars(select(ModerationEvent).order_by(ModerationEvent.id)).all()
        assert [(row.before, row.after) for row in rows] == [
            ({"record": "none"}, {"record": "published"}),
            ({"record": "published"}, {"record": "unpublished"}),
        ]
        assert rows[0].moderator_login == "camille"


def test_linkify_links_http_addresses_only_and_escapes_the_rest():
    assert linkify("javascript:alert(1) data:text/html,<b>x</b>") == (
        "javascript:alert(1) data:text/html,&lt;b&gt;x&lt;/b&gt;")
    assert linkify('voir https://x.org/a" onclick="y (et http://y.org/b).') == (
        'voir <a href="https://x.org/a" rel="nofollow noopener noreferrer ugc">https://x.org/a'
        '</a>&#34; onclick=&#34;y (et <a href="http://y.org/b" rel="nofollow noopener '
        'noreferrer ugc">http://y.org/b</a>).')
    assert linkify("https://fr.wikipedia.org/wiki/Calais_(ville)") == (
        '<a href="https://fr.wikipedia.org/wiki/Calais_(ville)" rel="nofollow noopener '
        'noreferrer ugc">https://fr.wikipedia.org/wiki/Calais_(ville)</a>')
    assert linkify("http:// rien") == "http:// rien"
    assert linkify(None) == ""
