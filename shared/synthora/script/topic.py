"""Topic analysis for the offline writer: what kind of topic is this, and its parts.

A topic is free text typed by a creator ("why cats purr", "how to save money",
"a reusable water bottle", "the night the lights went out", "the 10 second
plank", "coffee vs tea"). The writer needs to know its *shape* to pick
sentences that fit (an explanation, steps, benefits, a story, a dare, a
side-by-side) and the *forms* those sentences slot in: the embedded question
("why cats purr"), the direct question ("Why do cats purr?"), a gerund for a
skill ("saving money"), the product with the right pronouns ("it"/"they"),
the challenge name without a doubled "challenge", and so on.

Everything here is deterministic, pure Python and heuristic: a wrong guess
falls back to the neutral "topic" family, which reads acceptably for any noun
phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from synthora.templates.config import NarrativeStructure

_MAX_TOPIC_CHARS = 120


class Shape(StrEnum):
    """What the topic is, as typed."""

    QUESTION = "question"
    HOW_TO = "how_to"
    LIST = "list"
    PRODUCT = "product"
    EVENT = "event"
    CHALLENGE = "challenge"
    COMPARISON = "comparison"
    GENERIC = "generic"


class Family(StrEnum):
    """Which phrase kit writes the script (shape, adjusted for the template)."""

    EXPLAIN = "explain"
    SKILL = "skill"
    THING = "thing"
    EVENT = "event"
    CHALLENGE = "challenge"
    COMPARE = "compare"
    TOPIC = "topic"


@dataclass(frozen=True)
class TopicInfo:
    """A classified topic and the forms its sentences use (`{name}` placeholders)."""

    text: str
    shape: Shape
    family: Family
    forms: dict[str, str] = field(default_factory=dict)
    #: Words that name the subject, for footage search, hashtags and emphasis.
    keywords: str = ""
    #: A short label (at most four words) for on-screen text.
    label: str = ""


# --------------------------------------------------------------------------- word lists


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WH = ("why", "how", "what", "when", "where", "who", "which")
_AUX = _set("is are was were do does did can could will would should has have had might must")
_DETERMINERS = _set("the a an my your our their his her its this that these those some")
_PREPOSITIONS = _set(
    "in on at to for from with without into onto over under after before during when while "
    "if so because like through about of"
)
#: Words after "what"/"who" that make a subject question ("what makes X Y").
_SUBJECT_VERBS = _set(
    "makes made causes caused happens happened keeps kept lets gives gave turns "
    "invented created started built killed drives controls decides"
)
#: Nouns ending in -ing: never gerunds.
_ING_NOUNS = _set(
    "morning evening building wedding ceiling clothing king thing something nothing "
    "anything everything spring string ring wing swing sibling ding pudding stuffing "
    "icing frosting dumpling painting ending beginning feeling meaning lightning "
    "offspring earring sling viking bedding housing timing"
)
#: A head noun from this list makes a noun phrase a product.
_PRODUCT_NOUNS = _set(
    """
    bottle bottles headphones earbuds headset phone phones smartphone app apps laptop laptops
    tablet keyboard mouse monitor speaker speakers camera cameras watch smartwatch lamp lamps
    chair chairs desk desks mug mugs cup bag bags backpack backpacks wallet shoes sneakers
    boots jacket jackets kettle blender toaster mattress pillow pillows blanket charger
    cable gadget gadgets device devices tool tools kit kits bike bicycle scooter drone
    vacuum fan heater purifier humidifier serum moisturizer sunscreen shampoo perfume
    candle candles notebook planner pen pens tent stroller router console controller
    glasses sunglasses ring necklace bracelet thermos tumbler cooler grill pan pans knife
    knives skillet airfryer fryer projector tripod mic microphone subscription software
    """
)
#: A topic ending in one of these nouns is something that happened ("my dog's first birthday").
_EVENT_NOUNS = _set(
    "birthday wedding trip vacation holiday date race marathon interview concert move "
    "breakup graduation funeral party flight night day week weekend summer year"
)
_CHALLENGE_WORDS = re.compile(
    r"\b(?:plank|planks|squat|squats|push-?ups?|pushups|burpees?|wall sit|sit-?ups?|"
    r"jumping jacks)\b",
    re.IGNORECASE,
)
_EVENT_START = re.compile(
    r"^(?:(?:the|that|one)\s+(?:night|day|time|moment|morning|summer|winter|autumn|fall|"
    r"spring|year|week|weekend|evening|afternoon|trip|week)\b|my\s+(?:first|last|worst|best)\b|"
    r"the\s+first\s+time\b|when\s+(?:i|we|my)\b|how\s+(?:i|we)\b|the\s+story\s+of\b|"
    r"the\s+(?:year|day)\s+(?:i|we)\b|i\s+\w+)",
    re.IGNORECASE,
)
_IRREGULAR_ING = {
    "be": "being",
    "see": "seeing",
    "get": "getting",
    "set": "setting",
    "run": "running",
    "cut": "cutting",
    "put": "putting",
    "stop": "stopping",
    "plan": "planning",
    "shop": "shopping",
    "begin": "beginning",
    "swim": "swimming",
    "sit": "sitting",
    "win": "winning",
    "quit": "quitting",
    "die": "dying",
    "lie": "lying",
    "tie": "tying",
    "jog": "jogging",
    "chop": "chopping",
    "skip": "skipping",
    "dig": "digging",
    "knit": "knitting",
    "prep": "prepping",
}


# --------------------------------------------------------------------------- cleaning


def clean_topic(topic: str) -> str:
    """Whitespace, punctuation, doubled words and casing normalised; ValueError if empty."""
    text = " ".join(str(topic).split()).strip(" .!?;:,\"'`")
    if not re.search(r"[A-Za-z0-9]", text):
        raise ValueError("topic must contain at least one word")
    if len(text) > _MAX_TOPIC_CHARS:
        text = text[:_MAX_TOPIC_CHARS].rsplit(" ", 1)[0]
    # "the the plank", "Challenge challenge": say each word once.
    text = re.sub(r"\b(\w+)(\s+\1\b)+", r"\1", text, flags=re.IGNORECASE)
    words = text.split()
    alpha = [w for w in words if re.match(r"[A-Za-z]", w)]
    if len(alpha) >= 2 and all(w.isupper() for w in alpha if len(w) > 1):
        text = text.lower()  # SHOUTED TOPIC
    elif len(alpha) >= 3 and all(w[0].isupper() for w in alpha):
        # Title Case Topic: lower-case ordinary words, keep acronyms.
        text = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
    # Keep proper nouns and acronyms as typed; otherwise lower-case the first
    # letter so the topic reads naturally mid-sentence.
    rest = re.sub(r"\bI(?:'\w+)?\b", "", text[1:])  # the pronoun "I" is no proper noun
    first_word = text.split()[0]
    if not any(c.isupper() for c in rest) and not (len(first_word) > 1 and first_word.isupper()):
        text = text[0].lower() + text[1:]
    text = re.sub(r"\bi\b", "I", text)
    text = re.sub(r"\bi'(m|ve|d|ll)\b", r"I'\1", text)
    return text


def gerund(verb: str) -> str:
    """'save' -> 'saving', 'run' -> 'running', 'tie' -> 'tying'."""
    low = verb.lower()
    if low in _IRREGULAR_ING:
        return _IRREGULAR_ING[low]
    if low.endswith("ing"):
        return verb
    if low.endswith("ie"):
        return verb[:-2] + "ying"
    if low.endswith("e") and not low.endswith(("ee", "ye", "oe")) and len(low) > 2:
        return verb[:-1] + "ing"
    return verb + "ing"


def _is_gerund(word: str) -> bool:
    w = word.lower()
    return len(w) > 4 and w.endswith("ing") and w not in _ING_NOUNS and "-" not in w


def _plural(noun_phrase: str) -> bool:
    last = noun_phrase.split()[-1].lower() if noun_phrase.split() else ""
    if last in {"headphones", "glasses", "sunglasses", "earbuds", "jeans", "pants", "scissors"}:
        return True
    return last.endswith("s") and not last.endswith(("ss", "us", "is", "ics"))


def _pluralise(noun_phrase: str) -> str:
    if _plural(noun_phrase):
        return noun_phrase
    head, _, last = noun_phrase.rpartition(" ")
    low = last.lower()
    if low.endswith("y") and low[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif low.endswith(("s", "x", "z", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}".strip()


def _strip_determiner(phrase: str) -> str:
    words = phrase.split()
    if len(words) > 1 and words[0].lower() in _DETERMINERS:
        return " ".join(words[1:])
    return phrase


def _label(phrase: str) -> str:
    words = _strip_determiner(phrase).split()
    text = " ".join(words[:4])
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- questions


def _verb_index(words: list[str]) -> int:
    """Where the verb of 'NP verb ...' sits: before the first preposition, else last."""
    for i, w in enumerate(words):
        if i >= 2 and w.lower() in _PREPOSITIONS:
            return i - 1
    return len(words) - 1


def _np_end(words: list[str]) -> int:
    """End (exclusive) of a short noun phrase at the start of `words`."""
    if words and words[0].lower() in _DETERMINERS:
        return min(2, len(words))
    return min(1, len(words))


def _third_person(verb: str) -> str:
    low = verb.lower()
    if low.endswith("y") and low[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    if low.endswith(("s", "x", "z", "ch", "sh", "o")):
        return verb + "es"
    return verb + "s"


def _base_verb(verb: str) -> str:
    low = verb.lower()
    if low.endswith("ies") and len(low) > 4:
        return verb[:-3] + "y"
    if low.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        return verb[:-2]
    if low.endswith("s") and not low.endswith("ss"):
        return verb[:-1]
    return verb


_PARTICIPLE_END = ("ed", "en", "wn", "ne", "ght")


def _main_verb_use(aux: str, after: list[str]) -> bool:
    """True when 'have'/'has'/'had'/'do'/'does'/'did' is the main verb, not an auxiliary."""
    if aux in {"do", "does", "did"}:
        return True  # 'why cats do that': an auxiliary 'do' would come first ('why do cats ...')
    if aux in {"have", "has", "had"}:
        nxt = after[0].lower() if after else ""
        return not (nxt.endswith(_PARTICIPLE_END) or nxt in {"been", "got", "become", "made"})
    return False


def _question_forms(text: str) -> dict[str, str] | None:
    """clause ('why cats purr'), question ('why do cats purr?'), subject, statement."""
    words = text.split()
    wh = words[0].lower()
    rest = words[1:]
    if wh not in _WH or not rest:
        return None
    if rest[0].lower() in {"to"}:
        return None
    forms: dict[str, str] = {}
    first = rest[0].lower()
    if first in _AUX and len(rest) >= 2:
        aux, body = first, rest[1:]
        question = " ".join([wh, *rest])
        if aux in {"do", "does", "did"}:
            v = _verb_index(body)
            if v == 0:
                return None
            np, verb, tail = body[:v], body[v], body[v + 1 :]
            verb_c = _third_person(verb) if aux == "does" else verb
            if aux == "did":
                verb_c = f"did {verb}"  # past tense is irregular: keep 'did'
                statement = " ".join([*np, "did", verb, *tail])
            else:
                statement = " ".join([*np, verb_c, *tail])
            clause = " ".join([wh, *np, verb_c, *tail])
            forms["subject"] = " ".join(np)
            forms["statement"] = statement
        elif wh in {"what", "who", "which"} and len(body) <= 6:
            clause = " ".join([wh, *body, aux])  # what dark matter is
            forms["subject"] = " ".join(body)
        else:
            end = _np_end(body)
            np, tail = body[:end], body[end:]
            clause = " ".join([wh, *np, aux, *tail])  # why the sky is blue
            forms["subject"] = " ".join(np)
            forms["statement"] = " ".join([*np, aux, *tail])
    elif wh in {"what", "who", "which"} and (first in _SUBJECT_VERBS or first.endswith("ed")):
        clause = question = " ".join([wh, *rest])  # what makes popcorn pop
        forms["subject"] = " ".join(rest[1:]) or rest[0]
    else:
        clause = " ".join([wh, *rest])  # why cats purr, how black holes form
        aux_at = next((i for i, w in enumerate(rest) if i > 0 and w.lower() in _AUX), None)
        if aux_at is not None:
            np = rest[:aux_at]
            aux, after = rest[aux_at].lower(), rest[aux_at + 1 :]
            if _main_verb_use(aux, after):
                # 'have'/'do' as the main verb takes do-support: why do octopuses have ...
                support = {"has": "does", "does": "does", "had": "did", "did": "did"}.get(aux, "do")
                base = "do" if aux in {"do", "does", "did"} else "have"
                question = " ".join([wh, support, *np, base, *after])
            else:
                question = " ".join([wh, rest[aux_at], *np, *after])
            forms["statement"] = " ".join(rest)
        elif len(rest) >= 2:
            v = _verb_index(rest)
            np, verb, tail = rest[:v], rest[v], rest[v + 1 :]
            if verb.lower().endswith("ed"):
                question = " ".join([wh, "did", *np, verb[:-2] if verb.endswith("ed") else verb])
                question = clause  # past forms are too irregular to invert safely
            elif (
                verb.lower().endswith("s")
                and not verb.lower().endswith("ss")
                and not _plural(" ".join(np))
            ):
                question = " ".join([wh, "does", *np, _base_verb(verb), *tail])
            else:
                question = " ".join([wh, "do", *np, verb, *tail])
            forms["statement"] = " ".join(rest)
        else:
            question = clause
        forms["subject"] = " ".join(
            rest[:aux_at] if aux_at is not None else rest[: max(1, _verb_index(rest))]
        )
    forms["clause"] = clause
    forms["question"] = question.rstrip("?") + "?"
    forms["subject"] = _strip_determiner(forms.get("subject") or clause)
    return forms


# --------------------------------------------------------------------------- analysis


def _thing_forms(phrase: str) -> dict[str, str]:
    bare = _strip_determiner(phrase)
    if phrase.split()[0].lower() in {"my", "our", "your"}:
        bare = phrase.split(maxsplit=1)[1] if len(phrase.split()) > 1 else phrase
        bare = re.sub(r"^new\s+", "", bare)
    plural = _plural(bare)
    return {
        "topic": phrase,
        "thing": bare,
        "things": _pluralise(bare),
        "this": f"{'these' if plural else 'this'} {bare}",
        "these": "these" if plural else "this",
        "it": "they" if plural else "it",
        "them": "them" if plural else "it",
        "its": "their" if plural else "its",
        "it_s": "they're" if plural else "it's",
        "is": "are" if plural else "is",
        "s": "" if plural else "s",
        "es": "" if plural else "es",
    }


def _challenge_forms(name: str) -> dict[str, str]:
    core = re.sub(r"(?i)\bchallenge\b", "", name).strip()
    core = _strip_determiner(" ".join(core.split())) or name
    return {"topic": f"the {core} challenge", "challenge": core}


def _shape_of(text: str) -> tuple[Shape, dict[str, str]]:
    # "houseplants for beginners", "budgeting 101": the audience is not the subject.
    text = re.sub(r"(?i)\s+(?:for\s+(?:beginners|dummies|newbies)|101|explained)$", "", text)
    low = text.lower()
    parts = re.split(r"\s+(?:vs\.?|versus)\s+", text, maxsplit=1, flags=re.IGNORECASE)
    if len(parts) == 2 and parts[0] and parts[1]:
        a, b = (p.strip(" .,") for p in parts)
        return Shape.COMPARISON, {"topic": f"{a} or {b}", "a": a, "b": b}

    how_to = re.match(
        r"(?i)^(?:(?:\d+|some|a\s+few|simple|easy|quick|best)\s+)?"
        r"(?:how\s+to|ways\s+to|tips\s+to|learn(?:ing)?\s+(?:how\s+)?to|steps\s+to)\s+(\S+)(.*)$",
        text,
    )
    if how_to:
        shape = Shape.HOW_TO if low.startswith(("how", "learn")) else Shape.LIST
        return shape, {"topic": gerund(how_to.group(1)) + how_to.group(2)}

    if _EVENT_START.match(text) and not low.startswith(("the first time i", "how to")):
        return Shape.EVENT, {"topic": text}
    if re.match(r"(?i)^(?:the\s+first\s+time)\b", text):
        return Shape.EVENT, {"topic": text}

    words = text.split()
    if words[0].lower() in {"my", "our"} and words[-1].lower() in _EVENT_NOUNS:
        return Shape.EVENT, {"topic": text}
    if re.search(r"(?i)\bchallenge\b", text) or _CHALLENGE_WORDS.search(text):
        return Shape.CHALLENGE, _challenge_forms(text)

    question = _question_forms(text)
    if question is not None:
        return Shape.QUESTION, {"topic": question["clause"], **question}

    tips = re.match(
        r"(?i)^(?:(?:\d+|some|quick|easy|simple|best)\s+)?tips\s+(?:for|on)\s+(.+)$", text
    )
    tips = tips or re.match(r"(?i)^(.+?)\s+tips(?:\s+and\s+tricks)?$", text)
    if tips:
        return Shape.LIST, {"topic": tips.group(1)}
    listed = re.match(r"(?i)^(?:the\s+)?(?:\d+\s+)?(?:best|top|greatest)\s+(.+)$", text)
    units = r"(?:second|minute|hour|day|week|month|year)s?\b"
    if listed or re.match(rf"^\d+\s+(?!{units})[A-Za-z]", text):
        rest = listed.group(1) if listed else text.split(maxsplit=1)[1]
        return Shape.LIST, {"topic": rest}

    words = text.split()
    if words[-1].lower() not in _PRODUCT_NOUNS and (_is_gerund(words[0]) or _is_gerund(words[-1])):
        return Shape.HOW_TO, {"topic": text}
    first = words[0].lower()
    if first in {"a", "an", "this", "these"} or words[-1].lower() in _PRODUCT_NOUNS:
        return Shape.PRODUCT, {"topic": text}
    return Shape.GENERIC, {"topic": text}


def _simple_noun_phrase(text: str) -> bool:
    low = f" {text.lower()} "
    return (
        len(text.split()) <= 5
        and not any(p in low for p in (" of ", " for ", " in ", " and ", "'s "))
        and not low.strip().startswith("the ")
    )


def analyze_topic(topic: str, structure: NarrativeStructure | None = None) -> TopicInfo:
    """Classify `topic` and derive its forms; `structure` nudges ambiguous topics.

    A Product Showcase (demo) template turns a plain noun phrase into a product,
    a Trending Challenge (challenge steps) template turns a skill, product or
    plain noun phrase into a challenge.
    """
    text = clean_topic(topic)
    shape, forms = _shape_of(text)
    family = {
        Shape.QUESTION: Family.EXPLAIN,
        Shape.HOW_TO: Family.SKILL,
        Shape.PRODUCT: Family.THING,
        Shape.EVENT: Family.EVENT,
        Shape.CHALLENGE: Family.CHALLENGE,
        Shape.COMPARISON: Family.COMPARE,
        Shape.GENERIC: Family.TOPIC,
        Shape.LIST: Family.TOPIC,
    }[shape]
    subject = forms["topic"]
    if shape is Shape.LIST:
        words = subject.split()
        if words[-1].lower() in _PRODUCT_NOUNS:
            family = Family.THING
        elif _is_gerund(words[0]) or _is_gerund(words[-1]):
            family = Family.SKILL
    if structure is NarrativeStructure.CHALLENGE_STEPS and (
        family in (Family.SKILL, Family.THING)
        or (family is Family.TOPIC and _simple_noun_phrase(subject))
    ):
        family = Family.CHALLENGE
    elif (
        structure is NarrativeStructure.DEMO
        and family is Family.TOPIC
        and _simple_noun_phrase(subject)
    ):
        family = Family.THING

    if family is Family.THING:
        forms = _thing_forms(subject)
    elif family is Family.CHALLENGE and "challenge" not in forms:
        forms = _challenge_forms(subject)
    if family is Family.EXPLAIN:
        keywords = forms.get("statement") or forms.get("subject") or subject
        label = forms.get("subject") or subject
        if label.lower() in {"we", "you", "i", "they", "people", "it"}:
            label = forms["clause"]
        label = _label(label)
    elif family is Family.COMPARE:
        keywords = f"{forms['a']} {forms['b']}"
        label = f"{_label(forms['a'])} vs {_strip_determiner(forms['b'])}"
    elif family is Family.CHALLENGE:
        keywords = forms["challenge"]
        label = _label(forms["challenge"])
    elif family is Family.THING:
        keywords = forms["thing"]
        label = _label(forms["thing"])
    else:
        keywords = forms["topic"]
        label = _label(forms["topic"])
    return TopicInfo(
        text=text, shape=shape, family=family, forms=forms, keywords=keywords, label=label
    )


__all__ = ["Family", "Shape", "TopicInfo", "analyze_topic", "clean_topic", "gerund"]
