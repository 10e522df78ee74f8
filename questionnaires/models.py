"""Pydantic models of the questionnaire definitions (see docs/architecture.md#questionnaires).

These are the types every other layer reads; they import nothing of ours.
Validation that needs only one file lives here; checks that span files
(a strategy trigger naming an item) live in ``loader.py``. A whole-model check
raises ``_located`` so the error still says which entry is wrong (``items[3].id``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    model_validator,
)
from pydantic_core import PydanticCustomError

DimensionId = Literal[
    "communication", "emotional_needs", "stress", "romance", "intimacy", "support"
]
DIMENSION_IDS: tuple[DimensionId, ...] = get_args(DimensionId)

ArticleSection = Literal[
    "communication breakdown",
    "neglected emotional needs",
    "life changes and stress",
    "quality time",
    "shared interests",
    "appreciation and gratitude",
    "small gestures of love",
    "keeping romance alive",
    "intimacy and physical connection",
    "couple's therapy",
    "building a support system",
    "continuous learning and growth",
]
ARTICLE_SECTIONS: tuple[ArticleSection, ...] = get_args(ArticleSection)

SAFETY_RESPONSES: tuple[str, ...] = ("yes", "no", "skip")

# The two answers that leave an item unscored (docs/architecture.md#scoring): both post
# ``na`` and count as missing, never as zero. An optional item (intimacy) offers the first;
# an item about an event that may not happen in the time asked about offers the second.
PREFER_NOT_TO_SAY = "Prefer not to say"
DOES_NOT_APPLY = "Doesn't apply to us"

StarterDirection = Literal["lower", "higher"]
STARTER_DIRECTIONS: tuple[StarterDirection, ...] = get_args(StarterDirection)

# What a safety item is about, where a "yes" needs more than the flag
# (docs/architecture.md#safety): after a "yes" on a sexual_violence item no intimacy
# strategy is offered and sexual-violence services come first. Most items have no topic:
# any "yes" already flags the assessment.
SafetyTopic = Literal["sexual_violence"]
SAFETY_TOPICS: tuple[SafetyTopic, ...] = get_args(SafetyTopic)

_SLUG = r"^[a-z][a-z0-9_]*$"

Location = tuple[str | int, ...]


class _Strict(BaseModel):
    """Base for every definition model: unknown keys are errors, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class TalkPrompt(_Strict):
    """One line a talk offers in step 4 (docs/architecture.md#talk); ``id`` is stable forever."""

    id: str = Field(pattern=_SLUG)
    text: str = Field(min_length=1)


class TalkPrompts(_Strict):
    """One area's prompts: the speaker's ("When ..., I feel ..., I'd like ...") and the
    listener's ("What I heard is ... Did I get that right?")."""

    speaker: list[TalkPrompt] = Field(min_length=1)
    listener: list[TalkPrompt] = Field(min_length=1)


class Scale(_Strict):
    """The shared Likert scale; one label per point from min to max."""

    min: StrictInt
    max: StrictInt
    labels: list[str]
    # The words of the two ways to leave an item unanswered: part of the scale, so that they
    # are translated with it (docs/architecture.md#languages).
    prefer_not_to_say: str = Field(default=PREFER_NOT_TO_SAY, min_length=1)
    does_not_apply: str = Field(default=DOES_NOT_APPLY, min_length=1)

    @model_validator(mode="after")
    def _labels_cover_every_point(self) -> Scale:
        if self.max <= self.min:
            raise _located(("max",), "max must be greater than min")
        points = self.max - self.min + 1
        if len(self.labels) != points:
            raise _located(
                ("labels",), f"needs {points} labels (one per point), has {len(self.labels)}"
            )
        return self

    @property
    def points(self) -> list[int]:
        """Every allowed answer, lowest first."""
        return list(range(self.min, self.max + 1))

    def label(self, value: int) -> str:
        """The wording shown for an answer value."""
        return self.labels[value - self.min]


class Norms(_Strict):
    """Provisional spread and reliability used for reliable change (RCI)."""

    sd: float = Field(gt=0)
    reliability: float = Field(gt=0, lt=1)
    source: str | None = None


class Dimension(_Strict):
    """One of the six fixed dimensions, with its norms for this questionnaire."""

    id: DimensionId
    label: str
    description: str | None = None
    norms: Norms


class Item(_Strict):
    """One Likert question; ``reverse`` items are keyed ``min + max - answer``.

    ``optional`` items offer "Prefer not to say"; ``not_applicable`` items, about an event
    that may not happen in the time asked about, offer "Doesn't apply to us". Either
    answer is missing, never zero; an item offers one of them at most, so a person never
    has to choose between two ways of saying "no answer". ``hurt`` marks an item about the
    partner's disrespect, contempt or unkindness: no strategy that asks the person to give
    the partner more may be triggered by it (docs/architecture.md#questionnaires).
    """

    id: str = Field(pattern=_SLUG)
    dimension: DimensionId
    text: str = Field(min_length=1)
    reverse: StrictBool
    optional: StrictBool = False
    not_applicable: StrictBool = False
    hurt: StrictBool = False

    @model_validator(mode="after")
    def _one_way_to_leave_it(self) -> Item:
        if self.optional and self.not_applicable:
            raise _located(
                ("not_applicable",),
                "an item is optional or not_applicable, not both: it offers one way to leave it",
            )
        return self

    @property
    def may_be_left(self) -> bool:
        """Whether this item can be answered ``na`` (missing, never zero)."""
        return self.optional or self.not_applicable

    def left_label(self, scale: Scale) -> str | None:
        """The words of the ``na`` answer this item offers on ``scale`` (in the scale's
        language), or None when it offers none."""
        if self.not_applicable:
            return scale.does_not_apply
        if self.optional:
            return scale.prefer_not_to_say
        return None


class SafetyItem(_Strict):
    """A private yes/no question: never scored, never shared, never logged.

    ``topic: sexual_violence`` marks a question whose "yes" keeps every intimacy strategy
    away for the flag's 90 days and puts sexual-violence services first; it lives in the
    YAML, so the app never matches item ids or wording to find it.
    """

    id: str = Field(pattern=_SLUG)
    text: str = Field(min_length=1)
    topic: SafetyTopic | None = None


class Questionnaire(_Strict):
    """One questionnaire at one version; old versions stay loadable and scorable."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: StrictInt = Field(ge=1)
    title: str
    description: str | None = None
    intro: str | None = None  # the page's first line; it names the one time frame asked about
    scale: Scale
    dimensions: list[Dimension] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)
    safety: list[SafetyItem] = Field(default_factory=list)
    # How many dimensions must be scored for an overall score; None: every one
    # (docs/architecture.md#scoring).
    overall_needs: StrictInt | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _consistent(self) -> Questionnaire:
        dimension_ids = [d.id for d in self.dimensions]
        _no_repeats(_ids("dimensions", self.dimensions), "dimension id")
        _no_repeats(_ids("items", self.items) + _ids("safety", self.safety), "item id")
        for index, item in enumerate(self.items):
            if item.dimension not in dimension_ids:
                raise _located(
                    ("items", index, "dimension"),
                    f"item {item.id!r} names dimension {item.dimension!r},"
                    " which this questionnaire does not define",
                )
        for index, dimension_id in enumerate(dimension_ids):
            if not any(i.dimension == dimension_id for i in self.items):
                raise _located(("dimensions", index), f"dimension {dimension_id!r} has no items")
        if self.overall_needs is not None and self.overall_needs > len(dimension_ids):
            raise _located(
                ("overall_needs",),
                f"is {self.overall_needs}, but there are only {len(dimension_ids)} dimensions",
            )
        return self

    @property
    def overall_minimum(self) -> int:
        """How many dimension scores an overall score needs."""
        return self.overall_needs or len(self.dimensions)

    def items_of(self, dimension_id: str) -> list[Item]:
        """The items of one dimension, in definition order."""
        return [i for i in self.items if i.dimension == dimension_id]

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension with this id (KeyError when absent)."""
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError when absent)."""
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(item_id)

    @property
    def key(self) -> tuple[str, int]:
        """(id, version): how an assessment names what it answered."""
        return (self.id, self.version)


class Strategy(_Strict):
    """Something small to try this week, from a named section of the article.

    ``safe_if_flagged`` strategies are the only ones shown to a person who said their partner
    frightens them (docs/architecture.md#safety). Each carries ``safe_because``, the one
    line its review wrote on why it is safe while there is fear, so marking one safe is
    never a bare switch and a reviewer can read the reason beside the wording. An unsafe
    strategy has none: a reason next to ``safe_if_flagged: false`` would read as if it had
    been cleared.
    """

    id: str = Field(pattern=_SLUG)
    dimension: DimensionId
    title: str = Field(min_length=1)
    action: str = Field(min_length=1)
    why: str = Field(min_length=1)
    section: ArticleSection
    triggers: list[str] = Field(default_factory=list)
    safe_if_flagged: StrictBool
    safe_because: str | None = None
    # Asks the person to give the partner more (thanks, praise, gestures, notes, surprises,
    # initiating closeness, one-sided attention): never triggered by a ``hurt`` item.
    gives_partner_more: StrictBool = False

    @model_validator(mode="after")
    def _safe_only_with_a_reason(self) -> Strategy:
        reason = (self.safe_because or "").strip()
        if self.safe_if_flagged and not reason:
            raise _located(
                ("safe_because",),
                "a strategy with safe_if_flagged: true needs safe_because:"
                " one line on why it is safe while there is fear",
            )
        if not self.safe_if_flagged and self.safe_because is not None:
            raise _located(
                ("safe_because",),
                "only a strategy with safe_if_flagged: true has safe_because",
            )
        if "\n" in reason:
            raise _located(("safe_because",), "must be one line")
        return self


class Starter(_Strict):
    """A conversation starter for partners who see an area differently.

    ``lower`` is for the one who sees the area lower than the partner does: invited to say
    what they need. ``higher`` is for the one who sees it higher: invited to ask and listen
    (docs/architecture.md#partner). Ids are stable, like item ids.
    """

    id: str = Field(pattern=_SLUG)
    direction: StarterDirection
    text: str = Field(min_length=1)


class GuideSection(_Strict):
    """One section of the source guide: the id strategies name, and its heading there."""

    id: ArticleSection
    heading: str = Field(min_length=1)


class GuidePart(_Strict):
    """One part of the source guide, with its sections in the guide's order."""

    heading: str = Field(min_length=1)
    sections: list[GuideSection] = Field(min_length=1)


class Guide(_Strict):
    """The guide Rekindle's areas and ideas come from: its title and its sections."""

    title: str = Field(min_length=1)
    parts: list[GuidePart] = Field(min_length=1)

    @model_validator(mode="after")
    def _every_section_once(self) -> Guide:
        seen: set[str] = set()
        for section in self.sections():
            if section.id in seen:
                raise _located(("parts",), f"section {section.id!r} is listed twice")
            seen.add(section.id)
        missing = [s for s in ARTICLE_SECTIONS if s not in seen]
        if missing:
            raise _located(("parts",), f"does not list the sections {missing}")
        return self

    def sections(self) -> list[GuideSection]:
        """Every section, in the guide's order."""
        return [section for part in self.parts for section in part.sections]


class StrategyLibrary(_Strict):
    """Every strategy, the conversation starters used between partners, and their source."""

    guide: Guide
    strategies: list[Strategy] = Field(min_length=1)
    conversations: dict[DimensionId, list[Starter]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> StrategyLibrary:
        _no_repeats(_ids("strategies", self.strategies), "strategy id")
        starter_ids: set[str] = set()
        for dimension_id, starters in self.conversations.items():
            for index, starter in enumerate(starters):
                if starter.id in starter_ids:
                    raise _located(
                        ("conversations", dimension_id, index, "id"),
                        f"duplicate starter id {starter.id!r}",
                    )
                starter_ids.add(starter.id)
            for direction in STARTER_DIRECTIONS:
                count = sum(1 for s in starters if s.direction == direction)
                if not 1 <= count <= 2:
                    raise _located(
                        ("conversations", dimension_id),
                        f"needs one or two {direction!r} starters, has {count}",
                    )
        return self

    def starters(self, dimension_id: str, direction: StarterDirection) -> list[Starter]:
        """The starters of one dimension for one direction of the gap, in file order."""
        found = [
            s for d, starters in self.conversations.items() if d == dimension_id for s in starters
        ]
        return [s for s in found if s.direction == direction]

    def by_id(self, strategy_id: str) -> Strategy:
        """The strategy with this id (KeyError when absent)."""
        for s in self.strategies:
            if s.id == strategy_id:
                return s
        raise KeyError(strategy_id)

    # The prompts of a talk, per dimension (docs/architecture.md#talk); the loader asks
    # that every dimension has them.
    talk: dict[DimensionId, TalkPrompts] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _prompt_ids_are_their_own(self) -> StrategyLibrary:
        """Prompt ids name texts in every language: one id, one prompt, never a strategy's."""
        prompts = [
            (("talk", dimension_id, role, index, "id"), prompt.id)
            for dimension_id, found in self.talk.items()
            for role in ("speaker", "listener")
            for index, prompt in enumerate(getattr(found, role))
        ]
        _no_repeats([*_ids("strategies", self.strategies), *prompts], "strategy or prompt id")
        return self


def _located(where: Location, message: str) -> PydanticCustomError:
    """A whole-model error that remembers which entry it is about (read by loader.py)."""
    return PydanticCustomError("definition", message, {"where": where})


def _ids(
    field: str, entries: Sequence[Dimension | Item | SafetyItem | Strategy]
) -> list[tuple[Location, str]]:
    return [((field, index, "id"), entry.id) for index, entry in enumerate(entries)]


def _no_repeats(entries: list[tuple[Location, str]], what: str) -> None:
    seen: set[str] = set()
    for where, value in entries:
        if value in seen:
            raise _located(where, f"duplicate {what} {value!r}")
        seen.add(value)


__all__ = [
    "ARTICLE_SECTIONS",
    "DIMENSION_IDS",
    "DOES_NOT_APPLY",
    "PREFER_NOT_TO_SAY",
    "SAFETY_RESPONSES",
    "SAFETY_TOPICS",
    "STARTER_DIRECTIONS",
    "Dimension",
    "DimensionId",
    "Guide",
    "GuidePart",
    "GuideSection",
    "Item",
    "Norms",
    "Questionnaire",
    "SafetyItem",
    "SafetyTopic",
    "Scale",
    "Starter",
    "StarterDirection",
    "Strategy",
    "StrategyLibrary",
    "TalkPrompt",
    "TalkPrompts",
]
