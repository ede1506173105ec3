"""Names brought to one form before they are compared (plain Python, no database).

"FUNDACIO EURECAT", "Eurecat" and "Fundació Eurecat" all become the tokens ``["eurecat"]``:
accents, case, punctuation, legal forms (VZW, GmbH, S.p.A., e.V. …) and small words ("of",
"de", "der" …) are dropped, German transliterations are folded ("WESTFAELISCHE" and
"Westfälische" are both "westfalische"). What was dropped as a legal form is kept apart,
because "foundation" or "association" can tell a university's foundation from the university.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

# Legal forms and their spellings once folded and with single letters joined ("S.p.A." is
# "spa", "e.V." is "ev"). Dropping them is safe: the same body is registered with and
# without them.
LEGAL_FORMS = frozenset(
    """
    ab ad ag aisbl asbl aps as bv bvba cic co comm corp cv cvba doo ehf eeig eirl ek ev eg
    eurl gbr gie gmbh ggmbh gmbhco inc kft kg kgaa ks lda limited llc llp ltd mbh nv oy oyj
    plc sa sad sae sagl sal sarl sas sasu scarl scrl scs se sl sll slne slu snc spa sprl
    srl srls sro ssc sca sc sp zoo spzoo vzw ug zrt nyrt oe ohg ou uab ab as ek bhd pty
    kk gk ltda eood ood sac sl ivzw apb ps is asa hf bva epe ike oe ee ae
    societa sociedad sociedade societe cooperativa cooperative limitada limitata anonima
    anonyme responsabilita responsabilidad azioni sabiedriba ierobezotu atbildibu korlatolt
    felelossegu tarsasag spolka ograniczona odpowiedzialnoscia akcyjna haftungsbeschrankt
    aktiengesellschaft aktiebolag osakeyhtio anonymi etaireia sia srlcr
    """.split()
)
# Words that make a body of its own when only one name has them ("FUNDACION UNIVERSIDAD DE
# OVIEDO" is not "UNIVERSIDAD DE OVIEDO"), except when nothing else tells the names apart
# and other evidence agrees ("FUNDACIO EURECAT" is "Eurecat").
BODY_WORDS = frozenset(
    """
    fundacio fundacion fundacao fondazione fondation foundation stiftung stichting fundatia
    fundacja nadace fond fonds stiftelsen stiftelse fundatie asociacion associacio associacao
    associazione association verein verband vereniging forening foreningen consortium
    consorcio consorzio
    """.split()
)
# Words that say what kind of body it is, common to thousands of names: alike names
# differing only by these ("RWTH Aachen" and "RWTH Aachen University") are the same.
GENERIC_WORDS = frozenset(
    """
    university universitat universitaet universidad universidade universita universite
    universiteit universitet uniwersytet univerzita yliopisto egyetem hochschule universitesi
    univerzitet universitatea universiteti univerza sveuciliste
    company group holding holdings international europe european
    """.split()
)
STOP_WORDS = frozenset(
    """
    a an and at de del della dei degli der des di die do dos du d e el en et for fur
    i in la las le les lo los of on per pour su the to und van von y z zu zur
    """.split()
)
_FOLD = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "&": " ",
    }
)
_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, no accents, letters and digits only, separated by single spaces."""
    text = (text or "").lower().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text).strip()


def _join_initials(tokens: list[str]) -> list[str]:
    """Runs of single letters become one token: "s p a" is "spa", "e v" is "ev"."""
    joined: list[str] = []
    run = ""
    for token in tokens:
        if len(token) == 1 and token.isalpha():
            run += token
            continue
        if run:
            joined.append(run)
            run = ""
        joined.append(token)
    if run:
        joined.append(run)
    return joined


def _unfold_digraphs(token: str) -> str:
    for long, short in _DIGRAPHS:
        token = token.replace(long, short)
    return token


@dataclass(frozen=True)
class Name:
    """A name brought to comparable form."""

    tokens: tuple[str, ...]  # significant words, in their order
    body_words: frozenset[str]  # "foundation", "association" … found in the name
    initials: str  # first letters of every word before small words are dropped
    has_legal_form: bool = False  # "GmbH", "S.A." …: the name of a legal entity

    @cached_property
    def key(self) -> str:
        """The words sorted: equal keys mean names equal up to order, case and legal form."""
        return " ".join(sorted(self.tokens))

    @cached_property
    def text(self) -> str:
        return " ".join(self.tokens)

    @cached_property
    def words(self) -> frozenset[str]:
        return frozenset(self.tokens)

    @cached_property
    def core(self) -> str:
        """The words but those common to thousands of names ("university")."""
        return " ".join(t for t in self.tokens if t not in GENERIC_WORDS) or self.text


def normalise(text: str) -> Name:
    """The comparable form of a name (see the module's description)."""
    tokens = _join_initials(fold(text).split())
    words = [_unfold_digraphs(t) for t in tokens]
    body = frozenset(w for w in words if w in BODY_WORDS)
    significant = tuple(
        w for w in words if w not in LEGAL_FORMS and w not in STOP_WORDS and w not in BODY_WORDS
    )
    if not significant:  # a name made only of small words ("THE AND"): keep them
        significant = tuple(w for w in words if w not in LEGAL_FORMS) or tuple(words)
    initials = "".join(
        w[0] for w in words if w not in STOP_WORDS and w not in LEGAL_FORMS and not w.isdigit()
    )
    return Name(significant, body, initials, any(w in LEGAL_FORMS for w in words))


def acronym_matches(short: str, long: Name) -> bool:
    """Whether a token (3+ letters) is the initials of a run of words of the long name
    ("rwth" of "Rheinisch-Westfälische Technische Hochschule Aachen")."""
    if len(short) < 3 or not short.isalpha() or len(long.initials) < len(short):
        return False
    return short in long.initials
