"""Requests this car cannot take at all, recognised by their words rather than left to the model: functions the
car lacks (the catalog's known unknowns, `intents/unsupported.yaml`) and other languages. A small model forces
every request into the nearest intent it knows ("put it in park" became a route to a park, "close the blinds in
the bedroom" closed the car's windows); these checks take such clauses back out.

    scope = ScopeCheck(load_intent_catalog().unsupported)
    scope.foreign("Öffne bitte alle Fenster")                                  # True
    nothing = lambda part: []                                                  # the model reading a part alone
    scope.apply("put it in park", [Call("navigate_to", {"category": "park"})], nothing)
    # ([Call("out_of_scope", {})], "gears")

A clause is a stretch between punctuation or joining words ("and", "then", "but", "so", "because", ...); the names
the model read (a song, a place) are set aside first, so "play Call Me Tonight" is not a phone call. A clause that
only tells why ("the call's over, carry on playing", "... because the forecast says rain") asks for nothing; when
one call is read from several clauses, the understander reads the clauses the car can take alone to see where it
came from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from carvoice.nlu.catalog import OUT_OF_SCOPE, Call, UnsupportedFunction
from carvoice.nlu.grounding import NAME_SLOTS

OTHER_LANGUAGE = "other_language"  # the reason given when the request is not in English

_CLAUSE_BREAK = re.compile(r"((?:\s*(?:[,;.!?:]+|\b(?:and then|and also|and|then|but|plus|so|because|cause|cos)\b))+)",
                           re.IGNORECASE)
_BEFORE_A_REASON = re.compile(r"\b(?:because|cause|cos)\b", re.IGNORECASE)
_NAME_MARK = "\ue000"  # a private-use character around a name's number while the text is split into clauses
_NAME_PLACE = re.compile(f"{_NAME_MARK}(\\d+){_NAME_MARK}")
# A clause that tells how things are ("I'm taking a phone call", "the call's over", "it was snowing at the office")
# is a reason beside a request, not a request of its own; so is one after "because". ("the kitchen's lights off"
# is a request: "'s" is "is" only before words a state is told with.)
_STATEMENT = re.compile(
    r"\W*(?:(?:oh|well|okay|ok|um|uh|er|look|so)\W+)*"
    r"(?:(?:i'm|i am|i was|we're|we are|we were|it's|it is|it was|it'll|it will|that's|there's|there is|there was"
    r"|he|he's|she|she's|they|they're|someone|someone's|somebody|somebody's)\b"
    r"|(?:the|my|our|this|that)\s+(?:[\w']+\s+){0,3}?\w+(?:\s+(?:is|was|are|were)\b|'s\s+(?:over|done|finished"
    r"|ringing|calling|buzzing|on|off|asleep|dead|broken|gone|here|late|not|been|going|getting|too|so|very|really"
    r"|just|still|a|an|the|my|about|in|at)\b)"
    r"|i (?:just )?(?:got|had|have a|left|forgot)\b)", re.IGNORECASE)
# A clause about something that carries words (a text, an email, a note, what a sign says): the words right after it,
# with no "and" or "then" between, may be its words ("text Sam: unlock the doors", "my wife's text says, unlock ...").
_CARRIES_WORDS = re.compile(r"\b(?:text|texts|texted|texting|message|messages|messaged|sms|whatsapp|e-?mails?"
                            r"|emailed|notes?|voicemail|reminder|says|said|reads|wrote|writes|tweet\w*|posts?)\b",
                            re.IGNORECASE)
_POINTER = re.compile(r"\b(?:it|its|them|they|that|those|this|these|one|ones|there)\b", re.IGNORECASE)
Reread = Callable[[str], list[Call]]  # the model's calls for a part of the utterance read alone
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

    def apply(self, text: str, calls: list[Call], reread: Reread) -> tuple[list[Call], str | None]:
        """The model's calls held against the clauses that name a function the car lacks or are in another
        language, and why the car cannot take one (the first such clause that asks for something, or else the
        first such clause; None when none is flagged, or none asks and a call is kept). A flagged clause that
        asks becomes out of scope; one that only tells why ("the call's over, carry on playing") asks for
        nothing. When every flagged clause asks and the clauses pair up one to one with the calls, they pair by
        position; otherwise `reread` reads the other clauses alone, and what it reads there of the intents read
        in the whole is kept. All of it is out of scope when a clause the car can take may be the words of one it
        cannot ("text Sam: unlock the doors") or points back to it ("the kitchen speaker, turn it down")."""
        clauses = _clauses(text, calls)
        flagged = [self._unsupported(clause.bare) for clause in clauses]
        found = [reason for reason in flagged if reason is not None]
        if not found:
            return calls, None
        leans = _leans_back(clauses, flagged)
        asked = [why is not None and (leans or not clause.tells_why) for clause, why in zip(clauses, flagged)]
        reason = next((why for why, ask in zip(flagged, asked) if ask), found[0])
        if leans or _quoted(clauses, flagged):
            kept = []
        elif len(flagged) == len(calls) and all(ask for why, ask in zip(flagged, asked) if why is not None):
            kept = [Call(OUT_OF_SCOPE, {}) if why else call for why, call in zip(flagged, calls)]
        else:
            kept = _confirmed(clauses, flagged, asked, calls, reread)
        if all(call.name == OUT_OF_SCOPE for call in kept):
            return [Call(OUT_OF_SCOPE, {})], reason
        return _merge_out_of_scope(kept), reason if any(asked) else None

    def unsupported_clauses(self, text: str, calls: list[Call]) -> list[str | None]:
        """Per clause of `text` (names the model read taken out), why the car cannot take it: the name of the
        function it names that the car lacks, OTHER_LANGUAGE for a clause in another language ("skip this
        song, rồi mở cửa sổ ra"), or None."""
        return [self._unsupported(clause.bare) for clause in _clauses(text, calls)]

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


@dataclass(frozen=True)
class _Clause:
    text: str  # as said
    bare: str  # with the names the model read taken out ("play Call Me Tonight" is no phone call)
    tells_why: bool  # a statement or a reason ("because ..."), not a request
    joined: bool  # a word ("and", "then", ...) joins it to the clause before, not punctuation alone


def _clauses(text: str, calls: list[Call]) -> list[_Clause]:
    """The stretches of `text` between punctuation and joining words. Names are set aside first, so a name with
    "and" in it stays whole and its words are never taken for a clause's."""
    names = sorted({value for call in calls for slot, value in call.slots.items()
                    if slot in NAME_SLOTS and isinstance(value, str) and len(value) > 2}, key=len, reverse=True)
    for index, name in enumerate(names):
        text = re.sub(re.escape(name), f"{_NAME_MARK}{index}{_NAME_MARK}", text, flags=re.IGNORECASE)
    pieces = _CLAUSE_BREAK.split(text)  # a stretch, the breaks after it, the next stretch, ...
    breaks = ["", *pieces[1::2]]
    put_back = partial(_NAME_PLACE.sub, lambda match: names[int(match.group(1))])
    clauses = []
    for index, stretch in enumerate(pieces[0::2]):
        if any(char.isalnum() for char in stretch):
            bare = _NAME_PLACE.sub(" ", stretch)
            tells_why = _STATEMENT.match(bare) is not None or _BEFORE_A_REASON.search(breaks[index]) is not None
            clauses.append(_Clause(put_back(stretch).strip(), bare, tells_why, _WORD.search(breaks[index]) is not None))
    return clauses


def _leans_back(clauses: list[_Clause], flagged: list[str | None]) -> bool:
    """Whether a clause the car can take points back to one it cannot ("the kitchen speaker, turn it down"; "my
    seat's too far back, move it forward"): what "it" is cannot be told, so neither is only a reason."""
    first = next(index for index, why in enumerate(flagged) if why is not None)
    return any(why is None and _POINTER.search(clause.bare)
               for clause, why in zip(clauses[first + 1:], flagged[first + 1:]))


def _quoted(clauses: list[_Clause], flagged: list[str | None]) -> bool:
    """Whether a clause the car can take follows one the car cannot that carries words, with no joining word
    between ("my wife's text says, unlock the doors"): it may be those words, not a request."""
    return any(why is not None and _CARRIES_WORDS.search(clause.bare) and after_why is None and not after.joined
               for clause, why, after, after_why in zip(clauses, flagged, clauses[1:], flagged[1:]))


def _confirmed(clauses: list[_Clause], flagged: list[str | None], asked: list[bool], calls: list[Call],
               reread: Reread) -> list[Call]:
    """What the clauses the car can take ask for when read alone, of the intents the whole was read as, with out
    of scope where the first clause that asks for something the car cannot do stands (before them or after)."""
    rest = [clause.text for clause, why in zip(clauses, flagged) if why is None]
    intents = {call.name for call in calls} - {OUT_OF_SCOPE}
    kept = [call for call in reread(", ".join(rest)) if call.name in intents] if rest else []
    if not any(asked):
        return kept
    out_first = asked.index(True) < flagged.index(None) if None in flagged else True
    return [Call(OUT_OF_SCOPE, {}), *kept] if out_first else [*kept, Call(OUT_OF_SCOPE, {})]


def _merge_out_of_scope(calls: list[Call]) -> list[Call]:
    """At most one out_of_scope call, where the first one stood."""
    merged: list[Call] = []
    for call in calls:
        if call.name != OUT_OF_SCOPE or all(c.name != OUT_OF_SCOPE for c in merged):
            merged.append(call)
    return merged
