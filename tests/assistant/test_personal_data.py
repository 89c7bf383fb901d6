"""Personal data a moderator must see before a question reaches the projector."""

import pytest

from caravane.assistant import analyze


def personal(text):
    return [(f.reason, f.evidence) for f in analyze(text).flags if f.code == "personal_data"]


@pytest.mark.parametrize(
    "number",
    ["06 12 34 56 78", "06.12.34.56.78", "06-12-34-56-78", "0612345678", "+33 6 12 34 56 78",
     "+33 (0)6 12 34 56 78", "0033 6 12 34 56 78", "+33612345678", "03 20 12 34 56",
     "+32 470 12 34 56"],
)
def test_phone_numbers_are_shown_as_written(number):
    assert personal(f"Appelez-moi au {number} ce soir") == [("phone", number)]


@pytest.mark.parametrize(
    "text",
    ["En 2020, 2 millions d'euros", "450 caméras", "de 50 à 300 caméras", "1 000 000 € par an",
     "la loi n° 2023-380 du 19 mai 2023", "le décret 2021-1362", "le 12/03/2024 à 18h30",
     "98 000 habitants", "L'article L.252-1", "la rocade RN 216 et l'A16", "JO 2024"],
)
def test_years_amounts_and_references_are_not_personal_data(text):
    assert personal(text) == []


@pytest.mark.parametrize(
    "address",
    ["jean.dupont@gmail.com", "marie [at] orange [dot] fr", "paul (at) laposte (dot) net",
     "contact arobase asso-quartier point fr"],
)
def test_email_addresses_even_spelled_out_are_flagged(address):
    assert personal(f"Écrivez à {address} svp") == [("email", address)]


@pytest.mark.parametrize("plate", ["AB-123-CD", "AB 123 CD", "ab-123-cd", "1234 AB 59"])
def test_number_plates_are_flagged(plate):
    assert personal(f"La voiture {plate} passe tous les jours") == [("plate", plate)]


@pytest.mark.parametrize(
    "address",
    ["12 rue des Lilas", "3 bis avenue Jean Lebas", "8 boulevard de la Liberté",
     "15 impasse du Moulin", "4 allée des Tilleuls", "2 place du Général de Gaulle",
     "45 quai de la Loire", "10 bd Victor Hugo", "7 chemin des Dames"],
)
def test_street_addresses_are_flagged(address):
    assert personal(f"Une caméra au {address} filme les fenêtres") == [("address", address)]


def test_the_venues_addresses_are_public_places_not_personal_data():
    # Issue 10: the tour's venues (tour.toml) and public buildings are not anyone's home.
    assert personal("RDV au 126 avenue Jean Lebas Roubaix") == []
    assert personal("La mairie, 2 place Roger Salengro, est-elle filmée ?") == []


@pytest.mark.parametrize("text", ["Il reste 1 place", "Les 3 rues du centre", "2 avenues"])
def test_counted_streets_are_not_addresses(text):
    assert personal(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [("mon voisin Kevin Dupont filme tout", "Kevin Dupont"),
     ("Mme Martin du 3e a accès aux images", "Mme Martin"),
     ("Hier, Julien Moreau a été contrôlé", "Julien Moreau"),
     ("Ma voisine, qui s'appelle Nadia Benali, est filmée", "Nadia Benali"),
     ("mon patron Thierry Lambert revend les images", "Thierry Lambert")],
)
def test_names_of_private_persons_are_flagged(text, name):
    assert personal(text) == [("private_person", name)]


@pytest.mark.parametrize(
    "text",
    ["Guillaume Delbar peut-il répondre ?", "Question pour Martine Aubry",
     "Que dit Christian Belpaire ?", "Et vous, Pierre Bonnevalle ?", "Monsieur Delbar, merci",
     "Madame Aubry s'engage-t-elle ?", "M. Belpaire", "Monsieur le Maire", "Madame la Préfète",
     "comme dans le roman de George Orwell", "le logiciel s'appelle Map Revelation",
     "Sûreté Globale et La Quadrature du Net"],
)
def test_public_figures_are_not_private_persons(text):
    assert personal(text) == []


def test_a_name_at_the_start_of_a_sentence_is_found_too():
    # Issue 10: testimonies often open with the name ("Julien Mercier, du 2e étage, …").
    assert personal("Kevin Dupont a posé une caméra") == [("private_person", "Kevin Dupont")]
