"""analyze() answers for any text an attendee can send, quickly, and never raises."""

import sys
import threading
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caravane.assistant import REASONS, Analysis, analyze, detect_language, find_duplicates

BOARD = [(i, f"Combien de caméras y a-t-il dans le quartier {i} de Roubaix ?") for i in range(50)]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EMOJI = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)
CONTROLS_AND_BIDI = st.sampled_from(
    [chr(c) for c in range(0, 32)] + ["\x7f", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
     "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
     "\u00ad", "\u061c"]
)
COMBINING = st.characters(min_codepoint=0x300, max_codepoint=0x36F)
MIXED = st.sampled_from(list("aéZ0 .-'’@$€?!كقحبهچ日本ካሜ𝒶ﬁ") + ["c0nn4rd", "06 12", "@", "www."])


def assert_valid(analysis):
    assert isinstance(analysis, Analysis)
    assert isinstance(analysis.language, str) and analysis.language
    order = list(REASONS)
    codes = [flag.code for flag in analysis.flags]
    assert codes == sorted(codes, key=order.index)
    duplicates_of = [flag.of for flag in analysis.flags if flag.code == "duplicate"]
    assert len(duplicates_of) == len(set(duplicates_of))
    for flag in analysis.flags:
        assert flag.reason in REASONS[flag.code]
        assert isinstance(flag.evidence, str) and len(flag.evidence) <= 60
        if flag.code == "duplicate":
            assert flag.of is not None and 0 <= flag.score <= 100
        else:
            assert flag.of is None and flag.score is None


@SETTINGS
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=300))
def test_any_text_gives_a_valid_analysis(text):
    assert_valid(analyze(text, board=BOARD, author_history=[text[:50]]))


@SETTINGS
@given(st.text(alphabet=EMOJI, min_size=1, max_size=40))
def test_emoji_only(text):
    assert_valid(analyze(text, board=BOARD))


@SETTINGS
@given(st.lists(st.one_of(CONTROLS_AND_BIDI, st.sampled_from(list("connard 0612345678"))),
                max_size=80).map("".join))
def test_control_and_bidi_override_characters(text):
    assert_valid(analyze(text, board=BOARD))


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(list("connard VSA")), st.lists(COMBINING, max_size=12)),
                max_size=30).map(lambda parts: "".join(c + "".join(m) for c, m in parts)))
def test_zalgo_combining_marks(text):
    assert_valid(analyze(text, board=BOARD))


@SETTINGS
@given(st.lists(MIXED, max_size=120).map("".join))
def test_mixed_scripts(text):
    assert_valid(analyze(text, board=BOARD))


@settings(max_examples=5, deadline=None)
@given(st.sampled_from(["a", "0 ", "a.", "c o ", "06 ", "@", "www.", "aé ", "🙂", "rue ", "x@y."]))
def test_ten_kilobyte_questions_are_answered_quickly(unit):
    text = unit * (10_000 // len(unit))
    start = time.perf_counter()
    assert_valid(analyze(text, board=BOARD, author_history=[text]))
    assert time.perf_counter() - start < 2.0


def test_lone_surrogates_and_non_strings_do_not_raise():
    assert_valid(analyze("con\ud800nard ?"))
    assert detect_language("\ud800" * 30) in ("und", "fr", "en")
    assert find_duplicates("\ud800", [(1, "\udfff")]) == []
    assert_valid(analyze(None))  # type: ignore[arg-type]


def test_analyses_from_several_threads_at_once_agree_with_one_at_a_time():
    """A threaded server runs the app's analysis worker and a moderator's request together."""


    # Words never seen before by this process: stems and signatures are computed, not cached.
    words = ["surveillances", "enregistrements", "municipalités", "algorithmiques",
             "reconnaissances", "vidéoprotections", "interpellations", "manifestations"]
    texts = {worker: [f"Pourquoi les {words[(n + worker) % 8]} {worker}x{n}abc des "
                      f"{words[(n * 3 + worker) % 8]}s{n}{worker} changent-elles à Calais ?"
                      for n in range(40)] for worker in range(4)}
    results: dict[int, list] = {}
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            results[worker] = [analyze(text, board=[(1, text)]) for text in texts[worker]]
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns as often as the interpreter allows
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors, errors
    for worker, found in results.items():
        assert found == [analyze(text, board=[(1, text)]) for text in texts[worker]]
