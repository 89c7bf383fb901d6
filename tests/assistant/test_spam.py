"""Noise a moderator can discard at a glance: links, repeated characters, shouting, repeats."""

import pytest

from caravane.assistant import analyze


def spam(text, history=()):
    return [(f.reason, f.evidence) for f in analyze(text, author_history=history).flags
            if f.code == "spam"]


@pytest.mark.parametrize(
    ("text", "link"),
    [("Voir https://example.com/promo !", "https://example.com/promo"),
     ("Gagnez sur www.casino-gagnant.fr", "www.casino-gagnant.fr"),
     ("Abonnez-vous : bit.ly/3abcd", "bit.ly/3abcd"),
     ("Meilleur prix sur camerapascher.com, livraison", "camerapascher.com")],
)
def test_links_are_flagged_with_the_url(text, link):
    assert ("link", link) in spam(text)


def test_a_missing_space_after_a_full_stop_is_not_a_link():
    assert spam("Les caméras à Roubaix.De plus, qui paie ?") == []


def test_an_email_address_is_not_also_a_link():
    assert spam("Écrivez à jean@exemple.fr, merci de répondre ?") == []


@pytest.mark.parametrize("run", ["!!!!!!", "aaaaaa", "🙂🙂🙂🙂🙂🙂", "hahahaha", "??????"])
def test_repeated_characters_are_flagged(run):
    assert ("repeated_chars", run) in spam(f"La VSA {run} vraiment ?")


def test_long_numbers_are_not_repeated_characters():
    assert spam("Un budget de 1000000 euros pour les caméras ?") == []


def test_shouting_is_flagged():
    assert ("shouting", "") in spam("ARRÊTEZ DE NOUS FLIQUER AVEC VOS DRONES")


@pytest.mark.parametrize(
    "text",
    ["Que fait la CNIL face à la VSA de la MEL ?", "La LQDH et la LDH ont-elles saisi la CNIL ?",
     "Que pensez-vous de BRIEFCAM et de SÛRETÉ GLOBALE ?"],
)
def test_acronyms_are_not_shouting(text):
    assert spam(text) == []


@pytest.mark.parametrize("text", ["lol", "test", "aaaa", "+1", "mdr", "👍", "ok", "Merci !"])
def test_very_short_lines_that_ask_nothing_are_flagged(text):
    assert ("not_a_question", text) in spam(text)


@pytest.mark.parametrize("text", ["Pourquoi ?", "VSA ?", "Combien de caméras à Roubaix"])
def test_short_real_questions_are_not_spam(text):
    assert spam(text) == []


def test_the_same_question_sent_again_by_its_author_is_flagged():
    history = ["Combien coûtent les caméras de Roubaix ?"]
    assert ("repeated_text", "") in spam("combien coutent les cameras de roubaix??", history)


def test_a_different_question_from_the_same_author_is_not_a_repeat():
    history = ["Combien coûtent les caméras de Roubaix ?"]
    assert spam("Qui a accès aux images des caméras ?", history) == []


# Issue 10: spam without links, and links that are sources.

@pytest.mark.parametrize(
    ("text", "reason"),
    [("Vends caméras wifi 4K à moitié prix, livraison offerte, écrivez moi en MP", "advertising"),
     ("Investissez dans le TechnoCoin, x10 garanti, rejoignez notre groupe Telegram",
      "advertising"),
     ("Earn $500 a day from home!!! DM me on WhatsApp", "advertising"),
     ("Achetez vos caméras chez CamPro, livraison gratuite !", "advertising"),
     ("stop stop stop stop stop les drones", "repeated_words"),
     ("NO DRONES NO DRONES NO DRONES NO DRONES", "repeated_words"),
     ("qsdfqsdfjklmjklm", "keyboard_mash"), ("azertyuiop", "keyboard_mash")],
)
def test_spam_without_links(text, reason):
    assert reason in [found for found, _ in spam(text)]


@pytest.mark.parametrize(
    "text",
    ["Le formulaire de plainte sur cnil.fr marche ?", "elle est sur technopolice.fr ?",
     "Sur le site pas-de-calais.gouv.fr je trouve pas l'arrêté",
     "La réunion.me semble utile, merci", "non non non, pas encore des caméras ?",
     "Le deal a bougé deux rues plus loin, ça sert à quoi ?",
     "La formation des agents du CSU est-elle financée par la MEL ?"],
)
def test_sources_typos_and_ordinary_questions_are_not_spam(text):
    assert spam(text) == []


def test_a_profile_page_is_personal_data_unless_the_author_promotes_their_own():
    assert spam("instagram.com/marco_rbx59 a posté la vidéo") == []
    assert ("link", "youtube.com/@streetcamfails") in spam(
        "check my channel youtube.com/@streetcamfails for funny cctv fails lol")
