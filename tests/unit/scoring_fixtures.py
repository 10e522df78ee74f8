"""A tiny questionnaire and strategy library for engine tests: no YAML, no app."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from questionnaires.models import (
    ARTICLE_SECTIONS,
    Dimension,
    Guide,
    GuidePart,
    GuideSection,
    Item,
    Norms,
    Questionnaire,
    Scale,
    Strategy,
    StrategyLibrary,
)
from scoring import history_frame

# Answers and scores worked out by hand, that the engine must reproduce.
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "scoring"


def golden_answers(name: str) -> dict[str, dict[str, int | None]]:
    """Assessment -> item id -> answer (None for an empty cell: "na") from a golden CSV."""
    answers = pd.read_csv(GOLDEN / name, dtype={"answer": "Int64"})
    return {
        str(assessment): {
            item: (None if pd.isna(value) else int(value))
            for item, value in zip(group["item_id"], group["answer"], strict=True)
        }
        for assessment, group in answers.groupby("assessment", sort=True)
    }


def scores_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """(assessment, dimension, score) rows as the golden scores CSVs hold them."""
    return pd.DataFrame(rows, columns=["assessment", "dimension", "score"]).astype(
        {"score": "float64"}
    )


def talk_history(
    points: list[tuple[int, str, datetime, float]], **others: float | None
) -> pd.DataFrame:
    """A history of version-1 assessments, each given as (id, questionnaire, when, its
    communication score); ``others`` gives every assessment the same score in those areas."""
    rows: list[tuple[int, str, int, datetime, str, float | None]] = []
    for assessment_id, qid, when, talk in points:
        rows.append((assessment_id, qid, 1, when, "communication", talk))
        rows += [(assessment_id, qid, 1, when, area, score) for area, score in others.items()]
    return history_frame(rows)


NORMS = Norms(sd=18.0, reliability=0.85)
SCALE = Scale(min=1, max=5, labels=["SD", "D", "N", "A", "SA"])


def tiny_questionnaire(reverse_flips: bool = False) -> Questionnaire:
    """Three dimensions: talk (3 items, one reverse), care (3 items), touch (1 optional item)."""

    def item(item_id: str, dimension: str, reverse: bool, optional: bool = False) -> Item:
        return Item(
            id=item_id,
            dimension=dimension,
            text=f"Item {item_id}",
            reverse=reverse != reverse_flips,
            optional=optional,
        )

    return Questionnaire(
        id="tiny",
        version=1,
        title="Tiny",
        scale=SCALE,
        dimensions=[
            Dimension(id="communication", label="Talk", norms=NORMS),
            Dimension(id="emotional_needs", label="Care", norms=NORMS),
            Dimension(id="intimacy", label="Touch", norms=NORMS),
        ],
        items=[
            item("t1", "communication", False),
            item("t2", "communication", True),
            item("t3", "communication", False),
            item("c1", "emotional_needs", False),
            item("c2", "emotional_needs", False),
            item("c3", "emotional_needs", True),
            item("x1", "intimacy", False, optional=True),
        ],
    )


def _strategy(strategy_id: str, dimension: str, triggers: list[str], safe: bool) -> Strategy:
    return Strategy(
        id=strategy_id,
        dimension=dimension,
        title=f"Title {strategy_id}",
        action="Do one small thing this week.",
        why="Because it helps.",
        section="quality time",
        triggers=triggers,
        safe_if_flagged=safe,
        safe_because="It asks nothing of the partner." if safe else None,
    )


def tiny_library() -> StrategyLibrary:
    """Four talk strategies (two safe), two care strategies, one touch strategy."""
    return StrategyLibrary(
        guide=Guide(
            title="A guide",
            parts=[
                GuidePart(
                    heading="Every section",
                    sections=[GuideSection(id=s, heading=s.title()) for s in ARTICLE_SECTIONS],
                )
            ],
        ),
        strategies=[
            _strategy("talk_a", "communication", ["t3"], safe=False),
            _strategy("talk_b", "communication", ["t1"], safe=True),
            _strategy("talk_c", "communication", ["t2"], safe=False),
            _strategy("talk_d", "communication", [], safe=True),
            _strategy("care_a", "emotional_needs", ["c1"], safe=True),
            _strategy("care_b", "emotional_needs", [], safe=False),
            _strategy("touch_a", "intimacy", ["x1"], safe=True),
        ],
    )
