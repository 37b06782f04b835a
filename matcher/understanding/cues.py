"""Must-have or preference: the words around a term say which, in six languages.

A term takes the cue of its own clause; a clause that holds a cue and no term ("Mandatory:")
lends it to the clauses that follow in the same sentence. A negated must ("not mandatory",
"kein Muss", "pas obligatoire") is a preference. With no cue, a term is read as a preference:
the engine never excludes suppliers on a reading it is unsure of.
"""

from __future__ import annotations

import re
from functools import lru_cache

from matcher.understanding.tokens import plain

NEGATED_MUST = (r"not (?:mandatory|required|a must|necessary|essential)|no (?:need|requirement)|"
                r"pas (?:obligatoire|exige|necessaire|indispensable)|pas besoin|"
                r"non (?:obbligatori[oa]|necessari[oa]|indispensabile)|"
                r"kein(?:e)? (?:muss|pflicht)|nicht (?:erforderlich|zwingend|notwendig|notig)|"
                r"no (?:es )?(?:obligatori[oa]|necesari[oa]|imprescindible)|"
                r"ليس (?:إلزاميا|الزاميا|ضروريا)|غير (?:إلزامي|الزامي)")
MUST = (r"mandatory|required|requirement|compulsory|essential|a must|must|need(?:s|ed)? to|only|strictly|"
        r"obligatoire|obligatoirement|exige[es]?|imperati(?:f|ve)|indispensable|requis|necessaire|il faut|doit|doivent|"
        r"seulement|uniquement|obbligatori[oa]|richiest[oa]|indispensabile|necessari[oa]|deve|devono|solo|"
        r"erforderlich|zwingend|pflicht|muss|mussen|notwendig|unbedingt|vorausgesetzt|voraussetzung|nur|"
        r"obligatori[oa]|imprescindible|requerid[oa]|necesari[oa]|debe|deben|exigimos|unicamente|"
        r"إلزامي|الزامي|إلزامية|الزامية|ضروري|يجب|شرط|مطلوب|لا بد|فقط")
PREFERENCE = (r"preferred|preferably|prefer|ideally|nice to have|a plus|bonus|if possible|welcome|appreciated|"
              r"de preference|idealement|souhaite[es]?|si possible|apprecie[es]?|un plus|bienvenu[es]?|si vous pouvez|"
              r"preferibilmente|gradit[oa]|graditi|possibilmente|se possibile|ideale|apprezzat[oa]|"
              r"bevorzugt|wunschenswert|idealerweise|gern|gerne|wenn moglich|vorzugsweise|"
              r"preferiblemente|preferentemente|deseable|si es posible|idealmente|valoramos|se valora|"
              r"يفضل|يُفضّل|يفضّل|مفضل|إن أمكن|ان امكن|من الأفضل|من الافضل")

_NEG = re.compile(r"(?<!\w)(?:" + NEGATED_MUST + r")(?!\w)")
_MUST = re.compile(r"(?<!\w)(?:" + MUST + r")(?!\w)")
_PREF = re.compile(r"(?<!\w)(?:" + PREFERENCE + r")(?!\w)")


@lru_cache(maxsize=256)  # asked again for every term found in the same clause
def cue(text: str) -> str | None:
    """'must', 'preference' or None for one clause."""
    t = plain(text)
    if _NEG.search(t):
        return "preference"
    if _MUST.search(t):
        return "must"
    if _PREF.search(t):
        return "preference"
    return None
