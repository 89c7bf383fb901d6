"""The statistical model next to the rules: trained from the shipped corpora, deterministic,
explained by the words it leans on, and silent where the rules know better."""

import numpy as np
import pytest

from caravane.assistant import REASONS, analyze, classifier
from caravane.assistant.corpus import read_corpus, tuning_paths


def test_training_is_deterministic():
    rows = read_corpus(tuning_paths()[1])
    first, second = classifier.fit(rows), classifier.fit(rows)
    assert first.vocabulary == second.vocabulary
    assert np.array_equal(first.weights, second.weights)
    assert np.array_equal(first.intercepts, second.intercepts)


def test_scores_equal_scikit_learns():
    """The numpy scoring of one question is the fitted pipeline's, not an approximation."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    rows = read_corpus(tuning_paths()[1])
    model = classifier.fit(rows)
    vectorizer = TfidfVectorizer(analyzer=classifier._analyzer, sublinear_tf=True, min_df=2)
    vectorizer.fit([row.text for row in rows])
    texts = [row.text for row in rows[:40]] + ["", "🙂", "a b c d e f g h"]
    matrix = vectorizer.transform(texts)
    expected = 1 / (1 + np.exp(-(matrix @ model.weights.T + model.intercepts)))
    got = np.array([[model.probabilities(t)[code] for code in classifier.CODES] for t in texts])
    assert np.allclose(got, expected)


def test_every_tuning_author_is_learned_from():
    assert len(tuning_paths()) == 6
    assert all(path.exists() for path in tuning_paths())


@pytest.mark.parametrize(
    "text",
    [
        # written for this test: no listed word, the kind the model learns from six authors
        "Les gens qui viennent à ces débats feraient bien de surveiller leurs enfants à la "
        "sortie de l'école, on ne sait jamais ce qui peut arriver.",
        "Ces gens-là ne sont qu'une invasion qu'il faudra bien finir par nettoyer du quartier.",
    ],
)
def test_threats_and_dehumanising_without_listed_words_are_flagged(text):
    flags = [f for f in analyze(text).flags if f.code == "abuse"]
    assert flags
    assert flags[0].reason in REASONS["abuse"]


def test_a_model_flag_shows_words_of_the_question():
    for path in tuning_paths()[3:]:
        for row in read_corpus(path)[:120]:
            for flag in classifier.find_likely(row.text, ()):
                assert flag.evidence, row.id
                assert flag.evidence.rstrip("…") in row.text
                assert flag.reason in REASONS[flag.code]


@pytest.mark.parametrize(
    "text",
    [
        "Combien de caméras ont été installées à Roubaix depuis 2020, et pour quel budget ?",
        "Est-ce que la police municipale de Lille peut consulter les images du CSU la nuit ?",
        "Les exilés de Calais sont-ils filmés par des drones quand ils dorment dans les bois ?",
        "Un policier m'a dit « on va te retrouver » pendant un contrôle : est-ce légal ?",
        "Le décret n° 2023-828 du 28 août 2023 s'applique-t-il encore après les Jeux ?",
    ],
)
def test_ordinary_and_tricky_questions_stay_clean(text):
    assert analyze(text).flags == ()


def test_short_texts_are_left_to_the_rules():
    assert classifier.find_likely("migrants", ()) == ()
    assert classifier.find_likely("si on fait la gueule", ()) == ()
