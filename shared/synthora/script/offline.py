"""The offline script writer: deterministic, template-driven, no model needed.

No pip-installable text model writes usable scripts, so a user without an
OpenAI key gets this. The topic is analysed first (`synthora.script.topic`):
a question is explained, a skill gets tips and steps, a product its benefits,
an event a story, a challenge its rules and moves, a comparison both sides.
That picks a phrase kit in `synthora.script.phrases`; inside it, the
template's hook style picks the opening line and its narrative structure the
role of every scene. Choices are seeded by a hash of the topic, the
template config and the optional seed, so the same request always gives the
same script and another topic gives another one.

Every scene is filled up to a word budget derived from the template's target
duration, scene count and voice speed, so the narration fits the video.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import dataclass, field

from synthora.logs import fields, get_logger
from synthora.script import phrases
from synthora.script.models import (
    SENTENCE_PAUSE_S,
    WORDS_PER_SECOND,
    Script,
    ScriptScene,
    count_words,
    estimate_narration_seconds,
)
from synthora.script.topic import TopicInfo, analyze_topic
from synthora.templates.config import CtaType, TemplateConfig

log = get_logger(__name__)

#: Silence kept after the narration of a scene, for the cut.
SCENE_TAIL_S = 0.4
#: A scene is never shorter than this, even with very little to say.
MIN_SCENE_S = 2.0
_MAX_HASHTAGS = 8
_REPEATED_ROLES = frozenset(phrases.ORDINALS)
_MENTION = re.compile(r"\b(?:mention|talk about)\s+([^.;,\n]{2,60})", re.IGNORECASE)


def write_script_offline(
    *,
    topic: str,
    config: TemplateConfig,
    instructions: str | None = None,
    seed: int | None = None,
) -> Script:
    """Write a script for `topic` in the style of `config`, without any provider."""
    info = analyze_topic(topic, config.video_structure.narrative_structure)
    rng = random.Random(_seed_for(info.text, config, instructions, seed))
    writer = _Writer(info=info, config=config, instructions=instructions or "", rng=rng)
    script = writer.write()
    log.info(
        "offline script written",
        extra={
            "fields": fields(
                scenes=len(script.scenes),
                duration_s=script.total_duration_s,
                structure=config.video_structure.narrative_structure.value,
                topic_shape=info.shape.value,
                topic_family=info.family.value,
            )
        },
    )
    return script


# --------------------------------------------------------------------------- helpers


_PLACEHOLDER = re.compile(r"\{(\w+)\}")
#: On-screen text longer than this is replaced by the topic's short label.
MAX_OVERLAY_WORDS = 6


def _seed_for(
    topic: str, config: TemplateConfig, instructions: str | None, seed: int | None
) -> int:
    # A stable digest (not hash(), which is salted per process) so scripts are
    # reproducible across workers and restarts.
    material = "\x1f".join(
        [topic.lower(), config.model_dump_json(), instructions or "", str(seed)]
    ).encode()
    return int.from_bytes(hashlib.sha256(material).digest()[:8], "big")


def _fill(template: str, forms: dict[str, str]) -> str:
    """Replace `{name}` with forms[name]; `{Name}` capitalises the value."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        text = forms[name[0].lower() + name[1:]]
        return _capitalise(text) if name[0].isupper() else text

    return _PLACEHOLDER.sub(value, template)


def _capitalise(text: str) -> str:
    """A capital first letter, except for names like "iPhone" or "eBay"."""
    if re.match(r"[a-z]+[A-Z]", text):
        return text
    return text[:1].upper() + text[1:]


def _fits(entry: str, forms: dict[str, str]) -> bool:
    """Whether the topic has every form the entry needs."""
    return all((name[0].lower() + name[1:]) in forms for name in _PLACEHOLDER.findall(entry))


def _split(entry: str, forms: dict[str, str]) -> tuple[str, str]:
    spoken, _, overlay = entry.partition("|")
    return _fill(spoken, forms), _fill(overlay, forms)


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z'\-]*", text)


def keywords_for(topic: str, sentence: str, *, limit: int = 5) -> list[str]:
    """Search terms for footage: topic words first, then noun-like sentence words.

    A word qualifies when it is not a stop word, has at least three letters and
    (for sentence words) does not end like a verb or adverb.
    """
    out: list[str] = []

    def add(word: str) -> None:
        w = word.lower().strip("'-")
        if (
            len(w) >= 3
            and "'" not in w
            and w not in phrases.STOP_WORDS
            and w not in phrases.UNIT_WORDS
            and w not in out
        ):
            out.append(w)

    for word in _words(topic):
        add(word)
    for word in _words(sentence):
        if not word.lower().endswith(phrases.NON_NOUN_SUFFIXES):
            add(word)
    return out[:limit]


def hashtags_for(topic: str, suggested: list[str]) -> list[str]:
    """The template's hashtags plus one or two made from the topic."""
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9'\-]*", topic)
    stop = phrases.STOP_WORDS - phrases.UNIT_WORDS
    words = [w.lower() for w in words if w.lower() not in stop]
    words = [re.sub(r"[^a-z0-9]", "", w) for w in words]
    words = [w for w in words if w]
    tags: list[str] = []
    if words:
        joined = "".join(words)[:50]
        tags.append(f"#{joined}")
        named = [w for w in words if w.isalpha() and w not in phrases.UNIT_WORDS]
        if len(words) > 1 and named:
            tags.append(f"#{max(named, key=len)[:50]}")
    for tag in suggested:
        if tag.lower() not in (t.lower() for t in tags):
            tags.append(tag)
    return tags[:_MAX_HASHTAGS]


def _tone_for(instructions: str, config: TemplateConfig) -> str | None:
    text = f"{instructions} {config.script.tone_instructions}".lower()
    for tone, words in phrases.TONE_KEYWORDS.items():
        if any(re.search(rf"\b{re.escape(w)}\b", text) for w in words):
            return tone
    return None


def _sentence(text: str) -> str:
    """Capitalise and terminate a sentence that may start lower-case."""
    text = text.strip()
    if not text:
        return text
    text = _capitalise(text)
    return text if text[-1] in ".!?" else f"{text}."


# --------------------------------------------------------------------------- writer


@dataclass
class _Line:
    """A spoken sentence; `keep` lines carry the structure and are never trimmed."""

    text: str
    keep: bool = False


@dataclass
class _Draft:
    lines: list[_Line] = field(default_factory=list)
    overlay: str = ""

    @property
    def words(self) -> int:
        return sum(count_words(line.text) for line in self.lines)


class _Writer:
    """One script in the making; all randomness comes from `rng`."""

    def __init__(
        self, *, info: TopicInfo, config: TemplateConfig, instructions: str, rng: random.Random
    ) -> None:
        self.info = info
        self.topic = info.text
        self.config = config
        self.rng = rng
        self.speed = config.audio.voice_speed
        self.structure = config.video_structure.narrative_structure
        self.kit = phrases.KITS[info.family.value]
        self.forms = dict(info.forms)
        self.forms["more"] = _fill(self.kit.more, self.forms)
        self.n = config.video_structure.num_scenes
        self.tone = _tone_for(instructions, config)
        match = _MENTION.search(instructions)
        self.mention = match.group(1).strip() if match else None
        self.used: set[str] = set()
        self._last_lead = ""
        self._ordered: dict[str, list[str]] = {}
        target = config.video_structure.duration.target_seconds
        # Words that fit a scene: its share of the target, less the cut's tail.
        per_scene = max(MIN_SCENE_S, target / self.n - SCENE_TAIL_S)
        self.budget = max(4, int(per_scene * _words_per_second(self.speed)))

    # picking -------------------------------------------------------------

    def _usable(self, bank: tuple[str, ...]) -> list[str]:
        return [e for e in bank if _fits(e, self.forms)]

    def _bank(self, mapping: dict[object, tuple[str, ...]]) -> tuple[str, ...]:
        return phrases.by_structure(mapping, self.structure)

    def _pick(self, bank: tuple[str, ...], *, lead: bool = False) -> str | None:
        """An unused entry; `lead` skips follow-ups (entries marked with "+")."""
        fresh = [
            e for e in self._usable(bank) if e not in self.used and not (lead and e.startswith("+"))
        ]
        if not fresh:
            return None
        entry = self.rng.choice(fresh)
        self.used.add(entry)
        return entry

    def _next_in_order(self, role: str) -> str | None:
        """The next of a random, order-keeping selection of the role's entries."""
        if role not in self._ordered:
            bank = self._usable(phrases.ROLES[role])
            wanted = min(len(bank), self._roles().count(role))
            # The first entry always opens the sequence (the first step, the attempt).
            picks = [0, *sorted(self.rng.sample(range(1, len(bank)), max(0, wanted - 1)))]
            picks = picks[:wanted]
            self._ordered[role] = [bank[i] for i in picks]
        queue = self._ordered[role]
        while queue:
            entry = queue.pop(0)
            if entry not in self.used:
                self.used.add(entry)
                return entry
        return None

    def _roles(self) -> list[str]:
        """The role of each middle scene, in order, stretched over the scene count."""
        roles = self._bank(self.kit.roles)
        middle = max(0, self.n - 2)
        return [roles[min(len(roles) - 1, i * len(roles) // middle)] for i in range(middle)]

    def _split(self, entry: str) -> tuple[str, str]:
        spoken, overlay = _split(entry.removeprefix("+"), self.forms)
        return _sentence(spoken) if spoken else "", self._overlay(overlay)

    def _overlay(self, text: str) -> str:
        """On-screen text stays short: the topic's label stands in for a long one."""
        if count_words(text) > MAX_OVERLAY_WORDS:
            return self.info.label
        return text

    # scenes --------------------------------------------------------------

    def write(self) -> Script:
        hook_bank = self.kit.hooks[self.config.video_structure.hook_style]
        # Every kit has hooks that any topic of its family can fill.
        hook, hook_overlay = self._split(self._pick(hook_bank) or "")
        cta = self._cta()
        closing, closing_overlay = self._split(self._pick(self._bank(self.kit.closings)) or "")

        opening = _Draft([_Line(hook, keep=True)], hook_overlay)
        drafts: list[_Draft] = [opening]
        if self.n == 1:
            if closing:
                opening.lines.append(_Line(closing))
        else:
            # One line of lead-in at most: two in a row sound like stalling.
            entry = self._pick(self._bank(self.kit.openings))
            line = self._split(entry)[0] if entry else ""
            if line and opening.words + count_words(line) <= self.budget:
                opening.lines.append(_Line(line))
            counters: dict[str, int] = {}
            for role in self._roles():
                drafts.append(self._role_scene(role, counters))
            drafts.append(_Draft([_Line(closing, keep=True)] if closing else [], closing_overlay))
        self._place_extras(drafts)
        if cta:
            drafts[-1].lines.append(_Line(cta, keep=True))
        if not drafts[-1].lines:
            drafts[-1].lines.append(_Line("Thanks for watching.", keep=True))

        scenes = self._fit_duration(drafts)
        description = self.rng.choice(self._usable(self._bank(self.kit.descriptions)))
        return Script(
            title=self._title(),
            hook=hook,
            scenes=scenes,
            cta=cta,
            hashtags=hashtags_for(self.info.keywords, self.config.platform.suggested_hashtags),
            description=_sentence(_fill(description, self.forms)),
            total_duration_s=round(sum(s.duration_s for s in scenes), 2),
        )

    def _fill(self, draft: _Draft, bank: tuple[str, ...], *, limit: int = 99) -> None:
        """Add sentences from `bank` while they fit the scene's word budget."""
        for _ in range(limit):
            fitting = [
                e
                for e in self._usable(bank)
                if e not in self.used
                and draft.words + count_words(self._split(e)[0]) <= self.budget
            ]
            if not fitting:
                return
            entry = self.rng.choice(fitting)
            self.used.add(entry)
            spoken, overlay = self._split(entry)
            draft.lines.append(_Line(spoken))
            draft.overlay = draft.overlay or overlay

    def _role_scene(self, role: str, counters: dict[str, int]) -> _Draft:
        support = self._bank(self.kit.support)
        entry = (
            (
                self._next_in_order(role)
                if role in phrases.ORDERED_ROLES
                else self._pick(phrases.ROLES[role], lead=True)
            )
            or (
                # A role said twice: its follow-up carries the second scene.
                None if role in _REPEATED_ROLES else self._pick(phrases.ROLES[role])
            )
            or self._pick(support)
        )
        if entry is None:
            # Banks exhausted (very long templates): reuse a lead line of the
            # role, never the one just said.
            leads = [e for e in self._usable(phrases.ROLES[role]) if not e.startswith("+")]
            pool = leads if len(leads) > 1 else [*self._usable(phrases.ROLES[role]), *support]
            entry = pool[self.rng.randrange(len(pool))]
            if len(pool) > 1 and entry == self._last_lead:
                entry = pool[(pool.index(entry) + 1) % len(pool)]
        self._last_lead = entry
        spoken, overlay = _split(entry.removeprefix("+"), self.forms)
        if role in _REPEATED_ROLES:
            nth = counters.get(role, 0)
            counters[role] = nth + 1
            ordinals = phrases.ORDINALS[role]
            spoken = f"{ordinals[min(nth, len(ordinals) - 1)]} {spoken}"
            if role in phrases.NUMBERED_ROLES and overlay:
                overlay = f"{nth + 1}. {overlay}"
        draft = _Draft([_Line(_sentence(spoken), keep=True)], self._overlay(overlay))
        # A tip or a step stays one idea per scene; a story beat may take a
        # second line of its role, other roles only their follow-ups ("+").
        follow_ups = tuple(e for e in phrases.ROLES[role] if e.startswith("+"))
        if role in phrases.STORY_ROLES and self._roles().count(role) == 1:
            self._fill(draft, tuple(e for e in phrases.ROLES[role] if e not in follow_ups))
        if role not in _REPEATED_ROLES:
            # A role spread over several scenes keeps follow-ups for the later ones.
            self._fill(draft, follow_ups, limit=1 if self._roles().count(role) > 1 else 99)
        # At most one generic line: more sounds like padding.
        self._fill(draft, support, limit=1)
        return draft

    def _place_extras(self, drafts: list[_Draft]) -> None:
        """Work the user's tone and "mention X" into a middle scene, when asked."""
        middle = drafts[1:-1] or drafts[:1]
        if self.mention:
            line = _sentence(f"And don't forget {self.mention}")
            middle[len(middle) // 2].lines.append(_Line(line, keep=True))
        if self.tone:
            entry = self._pick(phrases.TONE_LINES[self.tone])
            if entry:
                middle[-1].lines.append(_Line(self._split(entry)[0]))

    def _cta(self) -> str:
        if self.config.script.cta_text:
            return _sentence(self.config.script.cta_text)
        kind = self.config.script.cta_type
        if kind is CtaType.NONE:
            return ""
        return self._split(self._pick(phrases.CTAS[kind]) or "")[0]

    def _title(self) -> str:
        entry = self.rng.choice(self._usable(self._bank(self.kit.titles)))
        title = _fill(entry, self.forms).strip()
        return _capitalise(title)[:120]

    def _seconds(self, draft: _Draft) -> float:
        said = estimate_narration_seconds(
            " ".join(line.text for line in draft.lines), voice_speed=self.speed
        )
        return max(MIN_SCENE_S, said + SCENE_TAIL_S)

    def _fit_duration(self, drafts: list[_Draft]) -> list[ScriptScene]:
        """Trim optional lines above the maximum; stretch scenes below the minimum."""
        d = self.config.video_structure.duration
        while sum(self._seconds(x) for x in drafts) > d.max_seconds:
            trimmable = [x for x in drafts if any(not line.keep for line in x.lines)]
            if not trimmable:
                log.warning(
                    "offline script longer than the template allows",
                    extra={"fields": fields(max_seconds=d.max_seconds)},
                )
                break
            longest = max(trimmable, key=self._seconds)
            drop = max(i for i, line in enumerate(longest.lines) if not line.keep)
            del longest.lines[drop]
        seconds = [self._seconds(x) for x in drafts]
        total = sum(seconds)
        # Too short: hold each visual a little longer rather than pad the words.
        extra = max(0.0, (d.min_seconds - total) / len(drafts))
        # Rounded up, so that the stretched total never falls short of the minimum.
        return [
            self._scene(i, draft, math.ceil((sec + extra) * 100) / 100 if extra else round(sec, 2))
            for i, (draft, sec) in enumerate(zip(drafts, seconds, strict=True))
        ]

    def _scene(self, index: int, draft: _Draft, duration_s: float) -> ScriptScene:
        narration = " ".join(line.text for line in draft.lines)
        overlay = draft.overlay
        topic_words = {w.lower() for w in _words(self.info.keywords)}
        overlay_words = _words(overlay)
        emphasis = [w for w in overlay_words if w.lower() in topic_words]
        emphasis += [
            w
            for w in overlay_words
            if len(w) > 4 and w.lower() not in phrases.STOP_WORDS and w not in emphasis
        ]
        if index == 0 and not self.config.text_style.hook_text_overlay:
            overlay = ""
        return ScriptScene(
            index=index,
            narration=narration,
            on_screen_text=overlay[:120],
            visual_keywords=keywords_for(self.info.keywords, narration),
            duration_s=duration_s,
            emphasis_words=emphasis[:3],
        )


def _words_per_second(voice_speed: float) -> float:
    """Words per second at `voice_speed`, sentence pauses averaged in."""
    # Sentences run about ten words, so each pause costs ~a tenth of one per word.
    seconds_per_word = 1 / (WORDS_PER_SECOND * voice_speed) + SENTENCE_PAUSE_S / (10 * voice_speed)
    return 1 / seconds_per_word


__all__ = ["hashtags_for", "keywords_for", "write_script_offline"]
