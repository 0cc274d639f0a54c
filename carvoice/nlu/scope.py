"""Requests this car cannot take at all, recognised by their words rather than left to the model: functions the
car lacks (the catalog's known unknowns, `intents/unsupported.yaml`) and other languages. A small model forces
every request into the nearest intent it knows ("put it in park" became a route to a park, "close the blinds in
the bedroom" closed the car's windows); these checks take such clauses back out.

    scope = ScopeCheck(load_intent_catalog().unsupported)
    scope.foreign("Öffne bitte alle Fenster")                                  # True
    scope.apply("put it in park", [Call("navigate_to", {"category": "park"})])   # ([Call("out_of_scope", {})], "gears")

A clause is a stretch between punctuation or "and" / "then" / "but"; the names the model read (a song, a
place) are taken out of the text first, so "play Call Me Tonight" is not a phone call.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from carvoice.nlu.catalog import OUT_OF_SCOPE, Call, UnsupportedFunction
from carvoice.nlu.grounding import NAME_SLOTS

OTHER_LANGUAGE = "other_language"  # the reason given when the request is not in English

_CLAUSE_BREAK = re.compile(r"[,;.!?:]+|\b(?:and then|and also|and|then|but|plus)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_NON_LATIN_SHARE = 0.3

# Frequent words of the languages a driver in Europe or India may fall back to; words that are also common in
# English ("die", "also", "open", "band", "me", "do", "i") are left out, so an English request never counts.
_FOREIGN_WORDS = frozenset("""
    bitte alle und der das ist nicht ich mir mach mache öffne offne schließe schliesse fenster türen tür musik
    spiel spiele lauter leiser wärmer kälter zu auf ein eine einen mein meine wie nach fahre navigiere heizung
    klimaanlage schiebedach sender mit den dem sie du kannst bis
    le la les des du une s'il plait plaît vous tu ouvre ouvrez ferme fermez fenêtre fenêtres toutes tous musique
    joue mets monte baisse chauffage climatisation vers aller et est pour avec moi je peux pouvez
    el los las por favor abre abrir cierra cerrar ventanas ventana todas todos música musica pon sube baja
    volumen calefacción aire acondicionado llévame llevame hacia puertas quiero y con para mi una uno está qué que
    il gli apri chiudi finestrini tutti alza abbassa portami voglio della delle sono che
    alsjeblieft alstublieft doe ramen muziek zet harder zachter het een naar mij ik wil maak
    proszę prosze otwórz otworz zamknij wszystkie okna muzykę muzyke włącz wlacz wyłącz głośniej ciszej
    jedź mnie
    abra feche janelas aumenta diminui leve teto janela porta portas ligar ligue desligar desligue aumente diminua
    som todo toda abrir fechar fecha não sim vamos você estou muito frio calor
    de del en naar niet graag dak raam deuren uit aan rij annuleer zegt
    du au aux toit fenetres portes déverrouille
    di tetto porte sblocca
    entriegeln entriegle
    kholo karo chalao khidki khidkiyan gaana bajao kijiye karein zara thoda aur garmi thanda
    lütfen lutfen kapat kapa aç klima klimayı klimayi pencere pencereyi pencereleri camı camları müzik
    müziği muzik sesi sesini kıs yükselt yukselt artır arttır azalt radyo radyoyu şarkı sarki çal götür
    gotur beni ısıt soğut sıcaklık derece tavan kapı kapıları kilitle bir biraz daha
    metti mettere un po poco della dello caldo freddo troppo qui accendi spegni canzone favore
    fait trop chaud froid ici peu mettez allume éteins eteins moins chanson
    hace calor frío frio mucho aquí aqui enciende apaga máximo maximo canción cancion
    kalt heiß heiss hier bisschen etwas aus lied
    quente aqui põe poe coloca toca tocar
    koud
    jeg jag ikke inte ikkje skru skruv öppna åpne åbn stäng steng luk lukk vinduene vinduet vinduerne fönstren
    fönstret fönster varmen värmen fryser kaldt kallt varmt høyere högre højere lavere lägre sänk senk spela
    spil musikken kjør kör meg mig och takk tack snälla vær vaer så tænd tänd sluk släck slå slaa hjem kan det är
    avaa sulje ikkunat ikkuna musiikkia lämpöä kylmä kuuma kiitos minua minulle
""".split())
# Letters of other languages' alphabets that English words and the names English speakers use do not have
# (é, ü, ñ are left out: Beyoncé, Motörhead, Piñata); a word with one counts as a word of another language.
# Of lower-cased words (İ lowers to i and U+0307); Czech and Slovak letters, and Vietnamese ones with their tones.
_FOREIGN_LETTERS = re.compile("[ışğłżźśąęřěůőűășțßđčšžťďňľĺŕ"
                              "ơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ\u0307]")
_ENGLISH_WORDS = frozenset("""
    the to please and on off my it turn set play open close what is can you up down of for in a an i this that
    with at some music temperature window windows volume take go put make me all car navigate find how where
    let's lets be more less too bit little
""".split())


class ScopeCheck:
    """The out-of-scope checks that need no model: other languages and the car's known unknowns."""

    def __init__(self, unsupported: Sequence[UnsupportedFunction]) -> None:
        self._cues = [(function, [re.compile(cue, re.IGNORECASE) for cue in function.cues])
                      for function in unsupported]

    @staticmethod
    def foreign(text: str) -> bool:
        """Whether `text` is not English: mostly non-Latin letters, or more words of another language than of
        English (at least two)."""
        letters = [char for char in text if char.isalpha()]
        non_latin = sum(not unicodedata.name(char, "").startswith("LATIN") for char in letters)
        if letters and non_latin / len(letters) > _NON_LATIN_SHARE:
            return True
        listed, lettered, english = _word_counts(text)
        if english and not listed:  # a name from another language ("play Dağlar Dağlar by Barış Manço")
            return False
        return listed + lettered >= 2 and listed + lettered > english

    def apply(self, text: str, calls: list[Call]) -> tuple[list[Call], str | None]:
        """The model's calls with every clause that names a function the car lacks, or is in another language,
        made out of scope, and the reason (the function's name or OTHER_LANGUAGE), or the calls unchanged and
        None."""
        flagged = self.unsupported_clauses(text, calls)
        found = [reason for reason in flagged if reason is not None]
        if not found:
            return calls, None
        reason = found[0]
        if len(flagged) == len(calls):
            return _merge_out_of_scope([Call(OUT_OF_SCOPE, {}) if why else call
                                        for why, call in zip(flagged, calls)]), reason
        if len(calls) <= 1 or len(found) == len(flagged):
            return [Call(OUT_OF_SCOPE, {})], reason
        # Clauses and calls do not pair up: keep the calls, and say the rest cannot be done.
        return _merge_out_of_scope([*calls, Call(OUT_OF_SCOPE, {})]), reason

    def unsupported_clauses(self, text: str, calls: list[Call]) -> list[str | None]:
        """Per clause of `text` (names the model read taken out), why the car cannot take it: the name of the
        function it names that the car lacks, OTHER_LANGUAGE for a clause in another language ("skip this
        song, rồi mở cửa sổ ra"), or None."""
        return [self._unsupported(clause) for clause in _clauses(_without_names(text, calls))]

    def _unsupported(self, clause: str) -> str | None:
        listed, lettered, english = _word_counts(clause)
        if listed + lettered >= 2 and not english:
            return OTHER_LANGUAGE
        return next((function.name for function, cues in self._cues if any(cue.search(clause) for cue in cues)),
                    None)


def _word_counts(text: str) -> tuple[int, int, int]:
    """The words of `text` listed as another language's, those with another alphabet's letters, the English."""
    words = [word.lower() for word in _WORD.findall(text)]
    listed = sum(word in _FOREIGN_WORDS for word in words)
    lettered = sum(word not in _FOREIGN_WORDS and _FOREIGN_LETTERS.search(word) is not None for word in words)
    return listed, lettered, sum(word in _ENGLISH_WORDS for word in words)


def _without_names(text: str, calls: list[Call]) -> str:
    names = sorted({value for call in calls for slot, value in call.slots.items()
                    if slot in NAME_SLOTS and isinstance(value, str)}, key=len, reverse=True)
    for name in names:
        if len(name) > 2:
            text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    return text


def _clauses(text: str) -> list[str]:
    return [clause for clause in _CLAUSE_BREAK.split(text) if clause and any(c.isalnum() for c in clause)]


def _merge_out_of_scope(calls: list[Call]) -> list[Call]:
    """At most one out_of_scope call, where the first one stood."""
    merged: list[Call] = []
    for call in calls:
        if call.name != OUT_OF_SCOPE or all(c.name != OUT_OF_SCOPE for c in merged):
            merged.append(call)
    return merged
