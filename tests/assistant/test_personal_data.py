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


# Issue 10: kinds of personal data an unseen corpus showed were missed, and false alarms.

@pytest.mark.parametrize(
    ("text", "evidence"),
    [("mon tel 06/45/33/21/78 svp", "06/45/33/21/78"),
     ("contact : O6 1O 52 73 O9", "O6 1O 52 73 O9"),
     ("رقم أخي ٠٧ ٤٥ ٢٢ ٨١ ٣٦", "٠٧ ٤٥ ٢٢ ٨١ ٣٦"),
     ("call him on +44 7700 918245", "+44 7700 918245"),
     ("son numero 0033 7 58 41 26 30", "0033 7 58 41 26 30")],
)
def test_phone_numbers_in_every_writing(text, evidence):
    assert personal(text) == [("phone", evidence)]


def test_a_phone_number_spelled_out_in_french():
    [(reason, _)] = personal("appelez moi : zero six, douze, quarante-cinq, trente-trois, "
                             "quatre-vingt-dix")
    assert reason == "phone"


@pytest.mark.parametrize(
    "text",
    ["Le numéro de la CNIL pour porter plainte c'est bien le 01 53 73 22 22 ?",
     "Le numéro vert 0 800 123 456 de la mairie ?", "si on appelle le 17, ils viennent ?",
     "Le décret 2021-1362 oblige-t-il à garder nos données ?"],
)
def test_public_numbers_are_not_personal_data(text):
    assert personal(text) == []


@pytest.mark.parametrize(
    "text",
    ["karim.h @ outlook . fr", "nadia point b arobase hotmail point fr",
     "jmarchal (at) laposte (point) net", "ecrivez moi sur mon gmail, c'est yanis.benali59",
     "m.okafor(at)protonmail(dot)com", "صيفطو ليا الفيديوهات فالإيميل: ahmed.k88 على جيميل"],
)
def test_obfuscated_emails(text):
    assert [reason for reason, _ in personal(text)] == ["email"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [("Le policier avec le RIO 1128457 a poussé une femme", "police_id"),
     ("matricule 2051874, toujours le même", "police_id"),
     ("RIO : 1 087 342 , il filmait", "police_id"),
     ("c'est @calais_vigilance62 qui poste les photos", "handle"),
     ("sur insta elle s'appelle lea.dbs59", "handle"),
     ("son profil c'est facebook.com/kevin.dumortier.59", "profile"),
     ("un SUV immatriculé 1-KLM-834 prend des photos", "plate"),
     ("la camionnette 4521 XR 59 nous suit", "plate"),
     ("Mme Gheysens au 31 rue des Arts a 3 caméras", "address"),
     ("12 r. Pasteur, c'est là qu'il habite", "address"),
     ("résid. Les Tilleuls bat B appt 24, c'est là que vit le gars", "address"),
     ("il habite rue Jules Guesde à Wattrelos", "address"),
     ("la maison avec le portail vert en face de l'église", "address"),
     ("rue Mollien numero 40 kaysawer l migrants", "address")],
)
def test_loose_personal_data_is_found(text, reason):
    assert reason in [found for found, _ in personal(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [("l'agent Caron du commissariat m'a dit", "Caron"),
     ("Le brigadier Lefebvre de la PAF nous a confisqué les téléphones", "Lefebvre"),
     ("le CRS Jordan a gazé les tentes", "Jordan"),
     ("ma collegue sandrine vasseur bosse au CSU", "sandrine vasseur"),
     ("Julien Mercier, du 2e étage, filme l'entrée", "Julien Mercier"),
     ("Officer Daniel Morel hit my friend", "Daniel Morel"),
     ("le flic qui m'a tapé s'appelle Steven Caron", "Steven Caron"),
     ("الشرطي اسمو كريم بوزيد هو لي كيقطع الخيام", "كريم بوزيد")],
)
def test_private_persons_in_testimony_form(text, name):
    assert ("private_person", name) in personal(text)


@pytest.mark.parametrize(
    "text",
    ["est ce que guillaume delbar a répondu ?", "martine aubry est invitée ce soir ?",
     "Marie-Laure Denis, la présidente de la CNIL, dit que la VSA pose problème",
     "Gérald Darmanin promet toujours plus de drones",
     "Dans son livre, Félix Tréguer parle de Calais",
     "Christian Belpaire se félicite du centre de supervision",
     "question pour Pierre Bonnevalle : vous avez été contrôlé ?", "le maire Jean Dupont a signé",
     "vous suivez @Utopia_56 sur twitter ?", "je trouve pas @laquadrature",
     "Le TA de Lille, rue Geoffroy Saint-Hilaire, a jugé un recours ?",
     "c'est bien salle 13 au 3eme etage, 27 rue Jean Bart ?",
     "Le port du RIO est obligatoire, article R434-15", "A Tourcoing (59200) il y a de la VSA ?"],
)
def test_public_persons_places_and_accounts_stay_clean(text):
    assert personal(text) == []


def test_personal_data_is_of_the_highest_severity():
    assert {f.severity for f in analyze("mon tel 06 12 34 56 78").flags} == {4}
