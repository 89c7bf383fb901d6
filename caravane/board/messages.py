"""The words people read for each code: errors, flags, rejection reasons and statuses.

Codes stay stable for clients and tests; the text follows the reader's language.
"""

from __future__ import annotations

from datetime import datetime

from babel import Locale
from flask_babel import format_time, get_locale, get_translations, gettext, lazy_gettext, ngettext

from caravane.typography import french_interface
from caravane.vocabulary import (
    ANSWER_MAX,
    NAME_MAX,
    TEXT_MAX,
    TEXT_MIN,
    Action,
    Arrangement,
    BoardStatus,
    LogAction,
    QuestionStatus,
    RejectReason,
    actions_from,
)

ERRORS = {
    "text_too_short": lazy_gettext("Votre question est trop courte : au moins %(min)s caractères."),
    "text_too_long": lazy_gettext("Votre question est trop longue : %(max)s caractères au plus."),
    "name_too_long": lazy_gettext("Le nom est trop long : %(max)s caractères au plus."),
    "invalid_name": lazy_gettext("Ce nom n'est pas lisible."),
    "invalid_client_id": lazy_gettext(
        "Envoi non reconnu. Rechargez la page puis renvoyez votre question."
    ),
    "unknown_stop": lazy_gettext("Cette étape de la tournée n'existe pas."),
    "unknown_question": lazy_gettext("Cette question n'existe pas ou n'est plus affichée."),
    "board_closed": lazy_gettext("Les questions sont closes pour cette soirée. Merci !"),
    "board_voting_only": lazy_gettext(
        "Les nouvelles questions sont closes : vous pouvez encore soutenir celles affichées."
    ),
    "stale_version": lazy_gettext(
        "Cette question vient d'être modifiée par quelqu'un d'autre. "
        "Votre console est à jour : vérifiez puis recommencez."
    ),
    "invalid_version": lazy_gettext("Version de la question manquante."),
    "invalid_transition": lazy_gettext(
        "Cette action n'est pas possible pour une question %(status)s."
    ),
    "invalid_reason": lazy_gettext("Choisissez une raison pour écarter la question."),
    "confirm_personal_data": lazy_gettext(
        "Cette question contient peut-être des données personnelles. Corrigez-la d'abord, "
        "ou confirmez pour la publier quand même."
    ),
    "unknown_action": lazy_gettext("Action inconnue."),
    "queue_empty": lazy_gettext(
        "La file est vide : ajoutez-y des questions acceptées."),
    "unknown_board_status": lazy_gettext("État du tableau inconnu."),
    "unknown_timer_command": lazy_gettext(
        "Commande du minuteur inconnue : lancer, mettre en pause ou remettre à zéro."),
    "invalid_timer_length": lazy_gettext(
        "Durée du minuteur invalide : de %(min)s secondes à %(max)s minutes."),
    "nothing_to_merge": lazy_gettext(
        "Choisissez au moins une autre question à regrouper avec celle-ci."),
    "cannot_merge": lazy_gettext(
        "La question %(id)s ne peut pas être regroupée : elle est %(status)s."),
    "cannot_merge_into": lazy_gettext(
        "On ne peut pas regrouper de questions dans une question %(status)s."),
    "not_merged": lazy_gettext("Cette question n'est regroupée avec aucune autre."),
    "invalid_answer": lazy_gettext("Cette réponse n'est pas lisible."),
    "answer_too_long": lazy_gettext(
        "Réponse trop longue : %(max)s caractères au plus."),
    "cannot_answer": lazy_gettext(
        "On ne répond par écrit qu'à une question acceptée ou déjà répondue."),
    "invalid_payload": lazy_gettext("Requête illisible."),
    "forbidden": lazy_gettext("Réservé aux modératrices et modérateurs connectés."),
    "forbidden_stop": lazy_gettext(
        "Vous ne modérez pas cette étape : demandez à l'équipe organisatrice d'y avoir accès."),
    "no_attendee": lazy_gettext(
        "Rechargez la page pour poser une question ou en soutenir une."),
    "rate_limited": lazy_gettext("Trop d'envois d'un coup. Réessayez dans %(retry)s secondes."),
    "server_error": lazy_gettext("Erreur du serveur : votre demande n'a pas été enregistrée."),
}

STATUSES = {
    QuestionStatus.PENDING: lazy_gettext("en attente"),
    QuestionStatus.APPROVED: lazy_gettext("acceptée"),
    QuestionStatus.ON_SCREEN: lazy_gettext("à l'écran"),
    QuestionStatus.ANSWERED: lazy_gettext("répondue"),
    QuestionStatus.REJECTED: lazy_gettext("écartée"),
    QuestionStatus.MERGED: lazy_gettext("regroupée"),
}

# In the order the console offers them: the most frequent first, "other" last.
REJECT_REASONS = {
    RejectReason.DUPLICATE: lazy_gettext("déjà posée"),
    RejectReason.OFF_TOPIC: lazy_gettext("hors sujet"),
    RejectReason.PERSONAL_DATA: lazy_gettext("contient des données personnelles"),
    RejectReason.ABUSIVE: lazy_gettext("propos injurieux"),
    RejectReason.OTHER: lazy_gettext("autre raison"),
}

# The reason the console preselects when a moderator sets aside a flagged question: by the
# most serious flag's code, or by "code.reason" where the reason says more.
REASON_FOR_FLAG = {
    "duplicate": RejectReason.DUPLICATE,
    "spam.repeated_text": RejectReason.DUPLICATE,  # the author sent it already
    "personal_data": RejectReason.PERSONAL_DATA,
    "abuse": RejectReason.ABUSIVE,
    "spam": RejectReason.OFF_TOPIC,
}

# What the attendee's page says under its heading, for each state of the board.
BOARD_STATES = {
    BoardStatus.OPEN: lazy_gettext(
        "Anonyme par défaut. Chaque question est relue avant d'être affichée."),
    BoardStatus.VOTING_ONLY: ERRORS["board_voting_only"],
    BoardStatus.CLOSED: ERRORS["board_closed"],
}

# The attendee page's heading says what the room can do now.
BOARD_TITLES = {
    BoardStatus.OPEN: lazy_gettext("Posez vos questions"),
    BoardStatus.VOTING_ONLY: lazy_gettext("Soutenez les questions"),
    BoardStatus.CLOSED: lazy_gettext("Les questions sont closes"),
}

# The console's buttons are verbs; statuses, columns and badges are nouns or adjectives.
ACTIONS = {
    Action.APPROVE: lazy_gettext("Accepter"),
    Action.SHOW: lazy_gettext("Mettre à l'écran"),
    Action.HIDE: lazy_gettext("Retirer de l'écran"),
    Action.ANSWER: lazy_gettext("Marquer comme répondue"),
    Action.REJECT: lazy_gettext("Écarter"),
    Action.RESTORE: lazy_gettext("Remettre en relecture"),
    "edit": lazy_gettext("Corriger"),
    Arrangement.QUEUE: lazy_gettext("Ajouter à la file"),
    Arrangement.UNQUEUE: lazy_gettext("Retirer de la file"),
    Arrangement.UP: lazy_gettext("Monter"),
    Arrangement.DOWN: lazy_gettext("Descendre"),
    "next": lazy_gettext("Question suivante"),
    "history": lazy_gettext("Historique"),
    "merge_into": lazy_gettext("Regrouper avec la question %(id)s"),
    "choose": lazy_gettext("Choisir pour regrouper"),
    "merge_here": lazy_gettext("Regrouper ici les questions choisies"),
    "unmerge": lazy_gettext("Séparer"),
    "reply": lazy_gettext("Répondre par écrit"),
    "edit_reply": lazy_gettext("Modifier la réponse écrite"),
}

# What the console says where the moderator is looking, once an action is stored.
DONE = {
    Action.APPROVE: lazy_gettext("Question %(id)s acceptée."),
    Action.SHOW: lazy_gettext("Question %(id)s à l'écran."),
    Action.HIDE: lazy_gettext("Question %(id)s retirée de l'écran."),
    Action.ANSWER: lazy_gettext("Question %(id)s marquée comme répondue."),
    Action.REJECT: lazy_gettext("Question %(id)s écartée."),
    "merge": lazy_gettext("Questions regroupées dans la question %(id)s."),
    "unmerge": lazy_gettext("Question %(id)s séparée : elle retrouve sa place."),
    "reply": lazy_gettext("Réponse écrite à la question %(id)s enregistrée."),
    Action.RESTORE: lazy_gettext("Question %(id)s remise en relecture."),
    "edit": lazy_gettext("Question %(id)s corrigée."),
    Arrangement.QUEUE: lazy_gettext("Question %(id)s ajoutée à la file."),
    Arrangement.UNQUEUE: lazy_gettext("Question %(id)s retirée de la file."),
    Arrangement.UP: lazy_gettext("Question %(id)s montée dans la file."),
    Arrangement.DOWN: lazy_gettext("Question %(id)s descendue dans la file."),
    "next": lazy_gettext("Question %(id)s à l'écran, la précédente est marquée comme répondue."),
}

BOARD_NAMES = {
    BoardStatus.OPEN: lazy_gettext("ouvert"),
    BoardStatus.VOTING_ONLY: lazy_gettext("soutiens seulement"),
    BoardStatus.CLOSED: lazy_gettext("fermé"),
}

# One line of the moderation log: « camille a écarté la question 12 (déjà posée) ».
LOG_ACTIONS = {
    LogAction.APPROVE: lazy_gettext("%(who)s a accepté la question %(id)s"),
    LogAction.REJECT: lazy_gettext("%(who)s a écarté la question %(id)s"),
    LogAction.SHOW: lazy_gettext("%(who)s a mis la question %(id)s à l'écran"),
    LogAction.HIDE: lazy_gettext("%(who)s a retiré la question %(id)s de l'écran"),
    LogAction.ANSWER: lazy_gettext("%(who)s a marqué la question %(id)s comme répondue"),
    LogAction.RESTORE: lazy_gettext("%(who)s a remis la question %(id)s en relecture"),
    LogAction.EDIT: lazy_gettext("%(who)s a corrigé la question %(id)s"),
    LogAction.BOARD: lazy_gettext("%(who)s a mis le tableau sur « %(board)s »"),
    LogAction.QUEUE: lazy_gettext("%(who)s a ajouté la question %(id)s à la file"),
    LogAction.UNQUEUE: lazy_gettext("%(who)s a retiré la question %(id)s de la file"),
    LogAction.MOVE: lazy_gettext("%(who)s a déplacé la question %(id)s dans la file"),
    LogAction.RECORD: lazy_gettext("%(who)s a publié le compte rendu public"),
    LogAction.MERGE: lazy_gettext(
        "%(who)s a regroupé la question %(id)s avec la question %(into)s"),
    LogAction.UNMERGE: lazy_gettext(
        "%(who)s a séparé la question %(id)s de la question %(into)s"),
    LogAction.REPLY: lazy_gettext("%(who)s a répondu par écrit à la question %(id)s"),
}

# The console offers a correction until a question is answered or set aside (the rules allow
# one at any time).
EDIT_OFFERED = frozenset({QuestionStatus.PENDING, QuestionStatus.APPROVED,
                          QuestionStatus.ON_SCREEN})

FLAG_LABELS = {
    "abuse": lazy_gettext("propos hostile"),
    "personal_data": lazy_gettext("donnée personnelle"),
    "spam": lazy_gettext("spam possible"),
    "duplicate": lazy_gettext("doublon probable"),
}

# One short reason per finding, read in a second on the console (caravane.assistant.REASONS).
FLAG_REASONS = {
    "threat": lazy_gettext("menace"),
    "dehumanising": lazy_gettext("propos déshumanisant"),
    "slur": lazy_gettext("injure discriminatoire"),
    "insult": lazy_gettext("insulte"),
    "phone": lazy_gettext("numéro de téléphone"),
    "email": lazy_gettext("adresse e-mail"),
    "address": lazy_gettext("adresse"),
    "plate": lazy_gettext("plaque d'immatriculation"),
    "police_id": lazy_gettext("matricule de policier"),
    "private_person": lazy_gettext("nom d'un particulier"),
    # flags stored before issue 10 named private persons so
    "person_name": lazy_gettext("nom d'un particulier"),
    "handle": lazy_gettext("compte de réseau social"),
    "profile": lazy_gettext("profil en ligne"),
    "link": lazy_gettext("lien"),
    "advertising": lazy_gettext("publicité"),
    "repeated_words": lazy_gettext("mots répétés"),
    "keyboard_mash": lazy_gettext("lettres tapées au hasard"),
    "repeated_chars": lazy_gettext("caractères répétés"),
    "shouting": lazy_gettext("écrit en majuscules"),
    "repeated_text": lazy_gettext("même texte déjà envoyé"),
    "not_a_question": lazy_gettext("pas une question"),
}


def shown(words) -> str:
    """Interface words as the reader's language writes them: French spacing and apostrophes on
    French pages (typography.py). Applied before any attendee text is put in."""
    words = str(words)
    return french_interface(words) if str(get_locale()) == "fr" else words


def error_message(code: str, **params) -> str:
    template = shown(ERRORS.get(code, ERRORS["invalid_payload"]))
    values = dict(params)
    if "status" in values:
        values["status"] = shown(STATUSES.get(values["status"], values["status"]))
    try:
        return template % values if values else template
    except (KeyError, TypeError, ValueError):
        return template


def flag_message(flag: dict) -> str:
    """« propos hostile : menace « on sait où tu habites » », « doublon probable de la
    question 12 (87 %) »: the code, the reason, then the author's words."""
    code, reason = flag.get("code"), flag.get("reason")
    if code == "duplicate":
        return shown(gettext("doublon probable de la question %(of)s (%(score)s %%)")) % {
            "of": flag.get("of"), "score": flag.get("score")}
    if code == "support_burst":
        return shown(gettext(
            "soutiens suspects : %(count)s en une minute, de nouveaux visiteurs d'un même réseau"
        )) % {"count": flag.get("evidence")}
    label = shown(FLAG_LABELS.get(code, code))
    detail = shown(FLAG_REASONS.get(reason, reason or ""))
    evidence = flag.get("evidence")
    if evidence:
        return shown(gettext("%(label)s : %(detail)s « %(evidence)s »")) % {
            "label": label, "detail": detail, "evidence": evidence}
    return shown(gettext("%(label)s : %(detail)s")) % {"label": label, "detail": detail}


def localize_question(data: dict) -> dict:
    """Add the reader's words to a question payload: flags, rejection reason, status, support."""
    data = dict(data)
    if "flags" in data:
        data["flags"] = [{**flag, "message": flag_message(flag)} for flag in data["flags"]]
    if data.get("reason"):
        data["reason_message"] = shown(REJECT_REASONS.get(data["reason"], data["reason"]))
    data["status_label"] = shown(STATUSES.get(data.get("status"), data.get("status", "")))
    if "votes" in data:
        # Plural rules differ by language (French: 0 and 1 are singular): said here, not in JS.
        data["votes_label"] = shown(ngettext("%(num)s soutien", "%(num)s soutiens", data["votes"]))
    if data.get("asked_by", 1) > 1:
        data["asked_by_label"] = shown(ngettext(
            "posée par %(num)s personne", "posée par %(num)s personnes", data["asked_by"]))
    if isinstance(data.get("merged_into"), dict):  # the author's view: the question joined
        data["merged_into"] = localize_question(data["merged_into"])
    return data


# The public record's line says which way it went (record/rules.py).
RECORD_WITHDRAWN = lazy_gettext("%(who)s a retiré le compte rendu public")


def log_line(entry: dict) -> dict:
    """A log entry with its local time and its sentence, in the reader's language."""
    moment = datetime.strptime(entry["at"], "%Y-%m-%dT%H:%M:%SZ")
    words = LOG_ACTIONS[entry["action"]]
    if entry["action"] == LogAction.RECORD and entry.get("record") != "published":
        words = RECORD_WITHDRAWN
    sentence = shown(words) % {
        "who": entry["moderator"], "id": entry["question_id"], "into": entry.get("into"),
        "board": shown(BOARD_NAMES.get(entry.get("board"), entry.get("board") or "")),
    }
    if entry.get("reason"):
        sentence += f" ({shown(REJECT_REASONS.get(entry['reason'], entry['reason']))})"
    return {**entry, "time": format_time(moment, "HH:mm"), "message": sentence}


def _words(table: dict) -> dict[str, str]:
    return {str(code): shown(label) for code, label in table.items()}


def attendee_vocabulary() -> dict:
    """What the attendee's script needs from the rules: limits, and the words for states. The
    same for every page of a language: made once per language, then kept (a copy each time)."""
    locale = str(get_locale())
    if locale not in _ATTENDEE_VOCABULARY:
        _ATTENDEE_VOCABULARY[locale] = _attendee_vocabulary()
    return dict(_ATTENDEE_VOCABULARY[locale])


_ATTENDEE_VOCABULARY: dict[str, dict] = {}


def _attendee_vocabulary() -> dict:
    return {
        "limits": {"text_min": TEXT_MIN, "text_max": TEXT_MAX, "name_max": NAME_MAX},
        "statuses": _words(STATUSES),
        "board": _words(BOARD_STATES),
        "titles": _words(BOARD_TITLES),
        "too_short": error_message("text_too_short", min=TEXT_MIN),
        "too_long": error_message("text_too_long", max=TEXT_MAX),
        "asked_by": asked_by_forms(),
    }


def asked_by_forms() -> dict[str, str]:
    """« posée par {num} personnes » in each plural category, for counts that change live."""
    return plural_forms("posée par %(num)s personne", "posée par %(num)s personnes")


def console_vocabulary() -> dict:
    """What the console's script needs from the rules: which actions each status offers, in
    button order, their labels, and the rejection reasons in the order they are offered."""
    return {
        "limits": {"text_min": TEXT_MIN, "text_max": TEXT_MAX},
        "offers": {
            str(status): [str(action) for action in actions_from(status)]
            + (["edit"] if status in EDIT_OFFERED else [])
            for status in QuestionStatus
        },
        "actions": {**_words(ACTIONS), "merge_into": shown(ACTIONS["merge_into"]) % {"id": "{id}"}},
        "done": {str(code): shown(words) % {"id": "{id}"} for code, words in DONE.items()},
        "reasons": [[str(code), shown(label)] for code, label in REJECT_REASONS.items()],
        "reason_for_flag": _words(REASON_FOR_FLAG),
        "answer_max": ANSWER_MAX,
    }


# Numbers tried, smallest first, to find one member of each plural category (CLDR: French
# « many » starts at a million).
_SAMPLES = (*range(0, 200), 1_000, 10_000, 100_000, 1_000_000)


def plural_forms(singular: str, plural: str) -> dict[str, str]:
    """A message with a count, in each CLDR plural category of the reader's language.

    Counts that change live, in the browser, need every plural form, not one label: the script
    picks the category with Intl.PluralRules and fills {num}. Each form is the catalogue's own
    answer for a sample number of that category, so the words are the .po file's and the choice
    follows the language's rules (Arabic: six categories). Both strings must hold %(num)s.
    Found once per language and message (two hundred samples: 2 ms), then kept."""
    locale = str(get_locale())
    known = _PLURAL_FORMS.get((locale, singular, plural))
    if known is None:
        known = _PLURAL_FORMS[(locale, singular, plural)] = _find_plural_forms(singular, plural)
    return dict(known)


_PLURAL_FORMS: dict[tuple[str, str, str], dict[str, str]] = {}


def _find_plural_forms(singular: str, plural: str) -> dict[str, str]:
    rule = Locale.parse(str(get_locale())).plural_form
    forms: dict[str, str] = {}
    for sample in _SAMPLES:
        category = rule(sample)
        if category not in forms:
            # The catalogue's raw form, its %(num)s left for the script to fill.
            form = get_translations().ungettext(singular, plural, sample)
            forms[category] = shown(form) % {"num": "{num}"}
    return forms
