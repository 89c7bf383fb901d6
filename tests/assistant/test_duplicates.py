"""Suggestions that a new question repeats one already on the board."""

from caravane.assistant import analyze, find_duplicates

BOARD = [
    (1, "Combien de caméras y a-t-il aujourd'hui à Roubaix ?"),
    (2, "Qui a accès aux images du centre de supervision urbain ?"),
    (3, "Pendant combien de temps les images de vidéosurveillance sont-elles conservées ?"),
    (4, "Quel est le coût total de la vidéosurveillance algorithmique pour la ville ?"),
    (5, "Combien de caméras y a-t-il à Lille ?"),
]


def similar(text, board=BOARD):
    return [(f.of, f.score) for f in find_duplicates(text, board)]


def test_a_retyped_question_without_accents_is_a_duplicate():
    assert [of for of, _ in similar("combien de cameras a roubaix aujourd'hui")] == [1]


def test_word_order_does_not_matter():
    assert [of for of, _ in similar("À Roubaix, combien y a-t-il de caméras aujourd'hui ?")] == [1]


def test_synonyms_are_understood():
    assert [of for of, _ in similar("Combien coûte la VSA à la ville au total ?")] == [4]
    kept = "Combien de temps gardez-vous les images de vidéosurveillance ?"
    assert [of for of, _ in similar(kept)] == [3]
    assert [of for of, _ in similar("Qui peut consulter les images du CSU ?")] == [2]


def test_the_same_question_about_another_city_is_not_a_duplicate():
    assert similar("Combien de caméras y a-t-il à Tourcoing ?") == []


def test_a_close_but_different_question_is_not_a_duplicate():
    assert similar("Qui a accès aux images des drones de la police aux frontières ?") == []


def test_score_is_between_0_and_100_and_best_first():
    board = BOARD + [(6, "Combien de caméras à Roubaix aujourd'hui ?")]
    found = similar("Combien de caméras y a-t-il aujourd'hui à Roubaix ?", board)
    assert [of for of, _ in found] == [1, 6]
    assert all(0 <= score <= 100 for _, score in found)
    assert found[0][1] >= found[1][1]


def test_at_most_limit_suggestions_one_per_question():
    board = [(i, "Combien de caméras y a-t-il aujourd'hui à Roubaix ?") for i in range(10)]
    board += [(3, "Combien de caméras à Roubaix aujourd'hui ?")]
    found = find_duplicates("Combien de caméras à Roubaix aujourd'hui ?", board, limit=3)
    assert len(found) == 3
    assert len({f.of for f in found}) == 3


def test_duplicates_come_last_in_the_analysis():
    analysis = analyze("combien de cameras a roubaix aujourd'hui, connard", board=BOARD)
    assert [f.code for f in analysis.flags] == ["abuse", "duplicate"]
    assert analysis.flags[-1].reason == "similar"


def test_an_empty_board_gives_no_duplicate():
    assert find_duplicates("Combien de caméras ?", []) == []


# Issue 10: duplicates across inflections, demonyms, synonyms and languages; close questions
# kept apart; the score shown is the score compared.

def test_demonyms_are_their_places():
    assert [of for of, _ in similar("qui peut regarder les vidéos du CSU roubaisien ?", [
        (1, "Qui a accès aux images du centre de supervision urbain de Roubaix ?")])] == [1]


def test_synonyms_and_inflections():
    board = [(1, "Est ce que les JO 2024 vont servir de prétexte pour légaliser la VSA ?"),
             (2, "Les exilés ont-ils le droit de demander les images où ils apparaissent ?"),
             (3, "Pourquoi les camps sont expulsés toutes les 48h ?")]
    assert [of for of, _ in similar(
        "Les Jeux olympiques, ça va être l'excuse pour autoriser la vidéosurveillance "
        "algorithmique ?", board)] == [1]
    assert [of for of, _ in similar("un migrant peut il récupérer les vidéos où on le voit ?",
                                    board)] == [2]
    assert [of for of, _ in similar("c koi la raison des expulsions de campements toutes les "
                                    "48 heures ?", board)] == [3]


def test_short_questions():
    board = [(1, "Combien de caméras il y a aujourd'hui à Roubaix exactement ?"),
             (2, "Les images des caméras de Lille sont conservées combien de temps ?")]
    assert [of for of, _ in similar("nb de caméras à roubaix actuellement ?", board)] == [1]
    assert [of for of, _ in similar("durée de conservation des vidéos à lille ?", board)] == [2]


def test_a_question_in_another_language():
    board = [(1, "Is facial recognition used at the Calais port?")]
    assert [of for of, _ in similar("Do they use face recognition at the port in Calais?",
                                    board)] == [1]


def test_drones_and_cameras_are_not_merged():
    board = [(1, "Est-ce que les drones au-dessus des campements filment aussi la nuit ?")]
    assert similar("Et les caméras fixes autour du port, elles filment la nuit aussi ?",
                   board) == []


def test_different_aspects_of_the_same_thing_are_not_merged():
    board = [(1, "Map Revelation de Sûreté Globale, ça prédit quoi exactement ?")]
    assert similar("Map Revelation, ça a coûté combien à la ville de Lille ?", board) == []


def test_the_score_shown_is_the_score_compared():
    from caravane.assistant.duplicates import MIN_SCORE, similarity

    pairs = [("Combien de caméras y a-t-il aujourd'hui à Roubaix ?", text)
             for text in ("nb de caméras à roubaix actuellement ?",
                          "Il y a combien de caméras à Roubaix ?", "Roubaix : caméras ?")]
    for first, second in pairs:
        value = similarity(second, first)
        found = similar(second, [(1, first)])
        assert isinstance(value, int)
        assert (value >= MIN_SCORE) == bool(found)
        assert not found or found[0][1] == value
