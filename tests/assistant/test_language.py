"""Which language a question is in, so moderators know when they need help reading it."""

import pytest

from caravane.assistant import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [("Combien de caméras y a-t-il à Roubaix ?", "fr"),
     ("Qui contrôle les images du centre de supervision ?", "fr"),
     ("How many cameras does Roubaix have today?", "en"),
     ("Is facial recognition used by the police in Lille?", "en"),
     ("كم عدد الكاميرات في مدينة روبيه اليوم؟", "ar"),
     ("چند دوربین در شهر کاله نصب شده است؟", "fa"),
     ("ካሜራዎች ስንት ናቸው በከተማው ውስጥ?", "am"),
     ("¿Cuántas cámaras hay en la ciudad de Roubaix?", "es"),
     ("Wie viele Kameras gibt es in Roubaix?", "de")],
)
def test_language_of_a_question(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "lol", "VSA ?", "👍👍👍", "12 34 56 78 90 12 34", "?!?!"])
def test_too_short_or_not_words_is_undetermined(text):
    assert detect_language(text) == "und"
