"""How the assistant reads disguised spellings before matching, keeping the author's text."""

from caravane.assistant.normalize import abuse_views, fold, plain, word_form


def texts(text):
    return [view.text for view in abuse_views(text)]


def test_accents_case_and_ligatures_are_folded():
    assert plain("Œuvre ÉLUE à l'Hôtel") == "oeuvre elue a l hotel"


def test_elisions_become_their_own_words():
    assert plain("l’image d'un exilé qu'on filme") == "l image d un exile qu on filme"


def test_zero_width_and_bidi_characters_are_removed():
    assert plain("con\u200bnard\u202e") == "connard"


def test_leet_is_read_only_inside_words_with_letters():
    assert texts("c0nn4rd en 2020") == ["connard en 2020"]


def test_spaced_and_dotted_letters_are_joined():
    assert texts("c o n n a r d")[0] == "connard"
    assert texts("c.o.n.n.a.r.d")[0] == "connard"


def test_letters_repeated_three_times_are_squeezed():
    assert "connard" in texts("connnnnard")
    assert "salope" in texts("salooooope")


def test_hyphens_inside_words_are_also_removed_in_a_second_view():
    assert texts("con-nard") == ["con nard", "connard"]


def test_a_match_is_shown_as_the_author_wrote_it():
    view = abuse_views("Tu es un c0nn4rd !")[0]
    start = view.text.index("connard")
    assert view.excerpt(start, start + len("connard")) == "c0nn4rd"


def test_decomposed_accents_stay_in_the_excerpt():
    text = "encule\u0301"
    view = fold(text)
    assert view.excerpt(0, len(view.text)) == text


def test_lexicon_words_are_written_like_texts():
    assert word_form("9a7ba") == "9atba"
    assert word_form("Fils-de-Pute") == "fils de pute"


def test_arabic_variants_are_folded():
    assert plain("قَحْبَة") == plain("قحبه")
