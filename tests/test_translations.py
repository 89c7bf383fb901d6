"""English and Arabic readers see their own language, never French left behind or broken text.

French is the source locale: msgids are French, the catalogs in caravane/translations/ hold
English (complete) and Arabic. `make extract` refreshes them, `make translations` compiles them.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask_babel import force_locale

from caravane.board import messages
from caravane.extensions import socketio

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "caravane" / "translations"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")
# Words that read the same in French and English, so finding them is no sign of French left.
SAME_IN_ENGLISH = {"Questions", "Export CSV"}
HOW_TO_FIX = "run `make extract`, then fill the msgstr in caravane/translations/{}/LC_MESSAGES"


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def catalog(locale: str) -> Catalog:
    return read_catalog(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale)


def template_ids() -> list:
    return [message.id for message in read_catalog(TRANSLATIONS / "messages.pot") if message.id]


def source_ids() -> set:
    """Every French string the code and templates hand to gettext, as `make extract` finds them."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = dict(DEFAULT_KEYWORDS, lazy_gettext=None, _l=None)

    def sources_only(path: str) -> bool:
        # babel.cfg only maps these two folders; skipping node_modules keeps this fast.
        return Path(path).relative_to(ROOT).parts[:1] in {("caravane",), ("templates",)}

    return {found[2] for found in extract_from_dir(str(ROOT), method_map, options_map,
                                                   keywords=keywords,
                                                   directory_filter=sources_only)}


def forms(message) -> list[str]:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return list(strings)


def untranslated(locale: str, ids) -> list:
    translated = catalog(locale)
    return [msgid for msgid in ids
            if translated.get(msgid) is None or not all(forms(translated.get(msgid)))]


def test_every_french_string_in_the_code_has_an_english_translation():
    missing = untranslated("en", sorted(source_ids(), key=str))
    assert not missing, f"{HOW_TO_FIX.format('en')}: {missing}"


def test_every_message_of_the_template_has_an_english_translation():
    missing = untranslated("en", template_ids())
    assert not missing, f"{HOW_TO_FIX.format('en')}: {missing}"


def test_every_message_of_the_template_has_an_arabic_translation():
    missing = untranslated("ar", template_ids())
    assert not missing, f"{HOW_TO_FIX.format('ar')}: {missing}"


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_translations_keep_the_placeholders_of_the_french_text(locale):
    broken = []
    for message in catalog(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        expected = Counter(PLACEHOLDER.findall(ids[-1]))
        for string in forms(message):
            if string and Counter(PLACEHOLDER.findall(string)) != expected:
                broken.append((message.id, string))
    assert not broken


def test_arabic_plural_header_has_the_six_arabic_forms():
    assert catalog("ar").num_plurals == 6


def strings_in(value) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings_in(item)]
    return [value] if isinstance(value, str) else []


class Chrome(HTMLParser):
    """The words of the interface: text and labels, minus tour content marked lang="fr"."""

    VOID = {"br", "img", "input", "link", "meta", "source", "wbr", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.french_depth: list[bool] = []
        self.words: list[str] = []
        self.in_json = False
        self.json = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        inside_french = any(self.french_depth) or attributes.get("lang") == "fr"
        if not inside_french:
            for name in ("aria-label", "alt", "title", "placeholder"):
                if attributes.get(name):
                    self.words.append(attributes[name])
        if tag not in self.VOID:
            self.french_depth.append(attributes.get("lang") == "fr")
        self.in_json = tag == "script" and attributes.get("type") == "application/json"

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.french_depth:
            self.french_depth.pop()
        if tag == "script" and self.in_json:
            self.words.extend(strings_in(json.loads(self.json)))
            self.in_json, self.json = False, ""

    def handle_data(self, data):
        if self.in_json:
            self.json += data
        elif data.strip() and not any(self.french_depth):
            self.words.append(data.strip())


def french_left(html: str) -> list[str]:
    parser = Chrome()
    parser.feed(html)
    french = {msgid for msgid in template_ids()
              if isinstance(msgid, str) and msgid not in SAME_IN_ENGLISH}
    return [word for word in parser.words if word in french]


def choose(client, lang: str) -> None:
    response = client.get("/langue", query_string={"lang": lang, "next": "/"})
    assert response.status_code == 303


def test_board_in_arabic_reads_right_to_left_with_an_arabic_send_button(client):
    choose(client, "ar")
    page = client.get("/calais/questions").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "أرسل السؤال" in page
    assert "اطرحوا أسئلتكم" in page
    assert french_left(page) == []


def test_board_in_english_asks_for_questions_without_any_french(client):
    page = client.get("/calais/questions", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
    assert "Ask your questions" in page
    assert "Send my question" in page
    assert french_left(page) == []


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("url", ["/", "/calais", "/calais/ecran", "/connexion", "/nulle-part"])
def test_pages_show_no_french_interface_text(client, lang, url):
    choose(client, lang)
    page = client.get(url).get_data(as_text=True)
    assert f'<html lang="{lang}"' in page
    assert french_left(page) == []


def test_tour_content_is_in_the_readers_language_with_the_interface(client):
    """The interface and the stop's own texts speak English together (tests/test_site.py
    covers the French fallback, marked lang="fr")."""
    choose(client, "en")
    stop = client.get("/calais").get_data(as_text=True)
    assert "Stop 1 of 3" in stop
    assert '<div class="context-body" lang="fr">' not in stop


def test_arrows_point_the_way_the_text_reads(client):
    choose(client, "ar")
    assert "عرض المحطة ←" in client.get("/").get_data(as_text=True)
    choose(client, "en")
    assert "See this stop →" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_moderation_console_shows_no_french_interface_text(moderator_client, lang):
    choose(moderator_client, lang)
    page = moderator_client.get("/calais/moderation").get_data(as_text=True)
    assert f'<html lang="{lang}"' in page
    assert french_left(page) == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_coded_message_attendees_can_meet_is_translated(app, lang):
    tables = [messages.ERRORS, messages.STATUSES, messages.REJECT_REASONS,
              messages.FLAG_LABELS, messages.FLAG_REASONS]
    # Keyed by table too: "duplicate" is both a rejection reason and a flag.
    texts = {(index, code): text for index, table in enumerate(tables)
             for code, text in table.items()}
    with app.test_request_context():
        with force_locale("fr"):
            french = {code: str(text) for code, text in texts.items()}
        with force_locale(lang):
            same_as_french = [code for code, text in texts.items() if str(text) == french[code]]
    assert same_as_french == []


def test_flags_explain_themselves_in_english(app):
    with app.test_request_context(), force_locale("en"):
        insult = messages.flag_message({"code": "abuse", "reason": "insult", "evidence": "con"})
        duplicate = messages.flag_message({"code": "duplicate", "of": 12, "score": 87})
        phone = messages.flag_message({"code": "personal_data", "reason": "phone",
                                       "evidence": "06 12 34 56 78"})
        wrong_state = messages.error_message("invalid_transition", status="answered")
    assert insult == "hostile words: insult “con”"
    assert duplicate == "likely duplicate of question 12 (87%)"
    assert phone == "personal data: phone number “06 12 34 56 78”"
    assert wrong_state == "This action isn't possible for a question that is answered."


def test_flags_and_errors_explain_themselves_in_arabic(app):
    with app.test_request_context(), force_locale("ar"):
        duplicate = messages.flag_message({"code": "duplicate", "of": 12, "score": 87})
        too_short = messages.error_message("text_too_short", min=10)
    assert duplicate == "تكرار محتمل للسؤال رقم 12 (87%)"
    assert too_short == "سؤالك قصير جدًا: الحد الأدنى لعدد الحروف هو 10."


def test_addresses_read_left_to_right_on_arabic_pages(client):
    """An address in a right-to-left paragraph is shown scrambled ("calais/qu/host…")."""
    choose(client, "ar")
    screen = client.get("/calais/ecran").get_data(as_text=True)
    stop = client.get("/calais").get_data(as_text=True)
    assert re.search(r'<p class="join-url" dir="ltr">[^<]*/calais</p>', screen)
    assert re.search(r'<input class="share-url"[^>]* dir="ltr"', stop)


def test_date_and_time_are_joined_with_the_arabic_comma(client):
    choose(client, "ar")
    for url in ("/", "/calais"):
        page = client.get(url).get_data(as_text=True)
        assert "الثلاثاء 21 يونيو 2022، " in page, url
        assert "2022, " not in page, url


def test_live_board_answers_an_arabic_attendee_in_arabic(app, client):
    choose(client, "ar")
    client.get("/calais/questions")
    socket = socketio.test_client(app, namespace="/", flask_test_client=client)
    assert socket.emit("join", {"stop": "calais"}, callback=True)["ok"]
    short = socket.emit("submit", {"stop": "calais", "text": "Pourquoi",
                                   "client_id": str(uuid.uuid4())}, callback=True)
    sent = socket.emit("submit", {"stop": "calais", "text": "Qui paie les caméras de la gare ?",
                                  "client_id": str(uuid.uuid4())}, callback=True)
    assert short["error"]["message"] == "سؤالك قصير جدًا: الحد الأدنى لعدد الحروف هو 10."
    assert sent["question"]["status_label"] == "قيد المراجعة"


def test_quoted_user_text_keeps_its_own_direction_in_arabic_flags(app):
    """Without isolation a French phone number in an Arabic flag shows as "78 56 34 12 06"."""
    with app.test_request_context(), force_locale("ar"):
        phone = messages.flag_message({"code": "personal_data", "reason": "phone",
                                       "evidence": "06 12 34 56 78"})
    assert phone == "بيانات شخصية: رقم هاتف «\u206806 12 34 56 78\u2069»"


def test_french_pages_space_punctuation_the_french_way_without_changing_what_was_typed(
    app, client, attendee, console
):
    """A narrow no-break space keeps "?" with its word on cards and the projector; interface
    apostrophes are typographic; the stored question keeps the plain space typed."""
    asked = attendee.emit("submit", {"stop": "calais", "client_id": "typo-0001-question",
                                     "text": "Qui a signé l'achat des drones ?"}, callback=True)
    question = asked["question"]
    console.emit("moderate", {"question_id": question["id"], "action": "approve", "version": 1},
                 namespace="/moderation", callback=True)
    page = client.get("/calais/questions").get_data(as_text=True)
    assert "Qui a signé l&#39;achat des drones\u202f?" in page  # the attendee's apostrophe kept
    assert "Anonyme par défaut. Chaque question est relue avant d’être affichée." in page
    assert "drones ?" not in page
    with app.app_context():
        from caravane.board.models import Question
        from caravane.extensions import db

        assert db.session.get(Question, question["id"]).text.endswith("drones ?")
    choose(client, "en")
    english = client.get("/calais/questions").get_data(as_text=True)
    assert "’" not in english.split("<main", 1)[1].split("Qui a signé", 1)[0]
