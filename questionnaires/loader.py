"""Load and validate every definition once at start-up; a broken file names where it breaks."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .helplines import Helplines
from .models import DIMENSION_IDS, Questionnaire, StrategyLibrary
from .translations import TranslationError, translate

DEFINITIONS_DIR = Path(__file__).parent
STRATEGIES_FILE = "strategies.yaml"
HELPLINES_FILE = "helplines.yaml"
QUESTIONNAIRE_FILE = re.compile(r"^(?P<id>[a-z][a-z0-9-]*)\.v(?P<version>[1-9][0-9]*)\.yaml$")
MIN_STRATEGIES_PER_DIMENSION = 4
MIN_SAFE_STRATEGIES_PER_DIMENSION = 2
QUESTIONNAIRE_ORDER = ("checkup", "pulse")
# Translations live in i18n/<lang>/, one file per source file (docs/architecture.md#languages).
TRANSLATIONS_DIR = "i18n"
SOURCE_LANGUAGE = "en"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
# libyaml's parser reads the same YAML as PyYAML's own about ten times as fast: every app
# (each gunicorn worker, each test) reads 32 files at start-up. PyYAML's wheels ship it; the
# pure-Python parser stays as the fallback for a build without it.
YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Model = TypeVar("Model", bound=BaseModel)


class QuestionnaireError(ValueError):
    """A definition file is wrong: which file, where inside it ("" for the whole file), and why."""

    def __init__(self, file: str, path: str, why: str) -> None:
        self.file = file
        self.path = path
        self.why = why
        super().__init__(f"{file}: {path}: {why}" if path else f"{file}: {why}")


@dataclass(frozen=True)
class Catalog:
    """Every questionnaire version and the strategy library, validated together."""

    questionnaires: dict[tuple[str, int], Questionnaire]
    strategies: StrategyLibrary
    helplines: Helplines

    def get(self, qid: str, version: int) -> Questionnaire:
        """One questionnaire at one version (KeyError when unknown)."""
        return self.questionnaires[(qid, version)]

    def latest(self, qid: str) -> Questionnaire:
        """The newest version of a questionnaire (KeyError when unknown)."""
        versions = [v for (i, v) in self.questionnaires if i == qid]
        if not versions:
            raise KeyError(qid)
        return self.questionnaires[(qid, max(versions))]

    def versions(self, qid: str) -> dict[int, Questionnaire]:
        """Every known version of a questionnaire, by version number."""
        return {v: q for (i, v), q in self.questionnaires.items() if i == qid}

    def latest_all(self) -> list[Questionnaire]:
        """The newest version of each questionnaire: check-up, pulse, then the rest by id."""
        ids = sorted(
            {qid for qid, _ in self.questionnaires},
            key=lambda qid: (
                QUESTIONNAIRE_ORDER.index(qid)
                if qid in QUESTIONNAIRE_ORDER
                else len(QUESTIONNAIRE_ORDER),
                qid,
            ),
        )
        return [self.latest(qid) for qid in ids]


def dotted_path(location: tuple[int | str, ...]) -> str:
    """pydantic's error location as a reader writes it: ``items[3].reverse``."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise QuestionnaireError(path.name, "", f"not valid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise QuestionnaireError(path.name, "", "must be a mapping of keys to values")
    return data


def _validate(model: type[Model], data: dict[str, Any], file: str) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        # A whole-model check (models._located) says which entry inside the model it is about.
        where = (first.get("ctx") or {}).get("where", ())
        path = dotted_path((*first["loc"], *where))
        raise QuestionnaireError(file, path, first["msg"]) from None


def load_questionnaire(path: Path) -> Questionnaire:
    """One questionnaire file, its name agreeing with the id and version inside it."""
    match = QUESTIONNAIRE_FILE.match(path.name)
    if not match:
        raise QuestionnaireError(path.name, "", "file name must look like <id>.v<version>.yaml")
    questionnaire = _validate(Questionnaire, _read_yaml(path), path.name)
    if questionnaire.id != match["id"]:
        raise QuestionnaireError(
            path.name, "id", f"is {questionnaire.id!r}, file name says {match['id']!r}"
        )
    if questionnaire.version != int(match["version"]):
        raise QuestionnaireError(
            path.name, "version", f"is {questionnaire.version}, file name says {match['version']}"
        )
    return questionnaire


def _check_strategies(library: StrategyLibrary, item_ids: set[str]) -> None:
    for index, strategy in enumerate(library.strategies):
        for trigger_index, item_id in enumerate(strategy.triggers):
            if item_id not in item_ids:
                raise QuestionnaireError(
                    STRATEGIES_FILE,
                    f"strategies[{index}].triggers[{trigger_index}]",
                    f"names item {item_id!r}, which no questionnaire defines",
                )
    per_dimension = Counter(s.dimension for s in library.strategies)
    safe_per_dimension = Counter(s.dimension for s in library.strategies if s.safe_if_flagged)
    for dimension_id in DIMENSION_IDS:
        if per_dimension[dimension_id] < MIN_STRATEGIES_PER_DIMENSION:
            raise QuestionnaireError(
                STRATEGIES_FILE,
                "strategies",
                f"dimension {dimension_id!r} has {per_dimension[dimension_id]} strategies,"
                f" needs at least {MIN_STRATEGIES_PER_DIMENSION}",
            )
        if safe_per_dimension[dimension_id] < MIN_SAFE_STRATEGIES_PER_DIMENSION:
            raise QuestionnaireError(
                STRATEGIES_FILE,
                "strategies",
                f"dimension {dimension_id!r} has {safe_per_dimension[dimension_id]} strategies"
                f" with safe_if_flagged: true, needs at least"
                f" {MIN_SAFE_STRATEGIES_PER_DIMENSION} so a flagged result still has advice",
            )


def _check_no_appeasement(
    library: StrategyLibrary, questionnaires: dict[tuple[str, int], Questionnaire]
) -> None:
    """No answer about the partner's disrespect, contempt or unkindness (``hurt: true``, in any
    version) may suggest giving the partner more (docs/architecture.md#questionnaires)."""
    hurt: dict[str, str] = {}  # item id -> the first file that marks it
    for (qid, version), questionnaire in sorted(questionnaires.items()):
        for item in questionnaire.items:
            if item.hurt:
                hurt.setdefault(item.id, f"{qid}.v{version}.yaml")
    for index, strategy in enumerate(library.strategies):
        if not strategy.gives_partner_more:
            continue
        for trigger_index, item_id in enumerate(strategy.triggers):
            if item_id in hurt:
                raise QuestionnaireError(
                    STRATEGIES_FILE,
                    f"strategies[{index}].triggers[{trigger_index}]",
                    f"names item {item_id!r}, which is about the partner's disrespect or"
                    f" unkindness (hurt: true in {hurt[item_id]}); a strategy with"
                    " gives_partner_more: true never answers a hurt by asking for more",
                )


def _check_talk_prompts(library: StrategyLibrary) -> None:
    """Every area can be talked through: each dimension has its speaker's and listener's
    prompts (docs/architecture.md#talk)."""
    for dimension_id in DIMENSION_IDS:
        if dimension_id not in library.talk:
            raise QuestionnaireError(
                STRATEGIES_FILE, "talk", f"dimension {dimension_id!r} has no talk prompts"
            )


def load_catalog(directory: Path = DEFINITIONS_DIR) -> Catalog:
    """Every ``<id>.v<n>.yaml``, ``strategies.yaml`` and ``helplines.yaml``, checked together."""
    directory = Path(directory)
    questionnaires: dict[tuple[str, int], Questionnaire] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name in (STRATEGIES_FILE, HELPLINES_FILE):
            continue
        questionnaire = load_questionnaire(path)
        questionnaires[questionnaire.key] = questionnaire
    if not any(qid == "checkup" for qid, _ in questionnaires):
        raise QuestionnaireError("checkup.v<n>.yaml", "", f"missing from {directory}")
    strategies_path = directory / STRATEGIES_FILE
    if not strategies_path.exists():
        raise QuestionnaireError(STRATEGIES_FILE, "", f"missing from {directory}")
    library = _validate(StrategyLibrary, _read_yaml(strategies_path), STRATEGIES_FILE)
    item_ids = {item.id for q in questionnaires.values() for item in q.items}
    _check_strategies(library, item_ids)
    _check_no_appeasement(library, questionnaires)
    _check_talk_prompts(library)
    return Catalog(
        questionnaires=questionnaires, strategies=library, helplines=load_helplines(directory)
    )


def load_helplines(directory: Path = DEFINITIONS_DIR) -> Helplines:
    """``helplines.yaml``: every number with the page it was checked against
    (docs/architecture.md#help-lines)."""
    path = Path(directory) / HELPLINES_FILE
    if not path.exists():
        raise QuestionnaireError(HELPLINES_FILE, "", f"missing from {directory}")
    return _validate(Helplines, _read_yaml(path), HELPLINES_FILE)


def _translation_texts(path: Path, language: str) -> dict[str, object]:
    """A translation file's keys and words; a missing file stops start-up like a broken one,
    named by its language's folder (every language has a ``strategies.yaml``)."""
    file = f"{TRANSLATIONS_DIR}/{language}/{path.name}"
    if not path.exists():
        raise QuestionnaireError(file, "", "missing: every source file needs one")
    try:
        data = _read_yaml(path)
    except QuestionnaireError as error:
        raise QuestionnaireError(file, error.path, error.why) from None
    return {str(key): value for key, value in data.items()}


def translate_catalog(source: Catalog, directory: Path, language: str) -> Catalog:
    """The catalog in ``language``: every questionnaire version, the strategies and the help
    lines from ``directory`` (``i18n/<language>/``), each checked key by key against its
    source. Ids, keys and numbers stay the source's, so scores cannot differ by language."""

    def translated(source_model: Model, name: str) -> Model:
        file = f"{TRANSLATIONS_DIR}/{language}/{name}"
        texts = _translation_texts(directory / name, language)
        try:
            return translate(source_model, texts, file)
        except TranslationError as error:
            raise QuestionnaireError(error.file, error.key, error.why) from None

    questionnaires = {
        (qid, version): translated(questionnaire, f"{qid}.v{version}.yaml")
        for (qid, version), questionnaire in source.questionnaires.items()
    }
    known = {f"{qid}.v{version}.yaml" for qid, version in questionnaires}
    for path in sorted(directory.glob("*.yaml")):
        if path.name not in known | {STRATEGIES_FILE, HELPLINES_FILE}:
            raise QuestionnaireError(
                f"{TRANSLATIONS_DIR}/{language}/{path.name}", "", "has no source file to translate"
            )
    return Catalog(
        questionnaires=questionnaires,
        strategies=translated(source.strategies, STRATEGIES_FILE),
        helplines=translated(source.helplines, HELPLINES_FILE),
    )


def load_catalogs(directory: Path = DEFINITIONS_DIR) -> dict[str, Catalog]:
    """The source catalog (English) and one per ``i18n/<lang>/`` directory, all checked.

    Read once per process for the same files: every app built in one process (each test's,
    the benchmarks', a command's) gets the same checked catalogs, and a file that changed,
    came or went is read and checked afresh, its errors raised again. Nothing changes a
    catalog once loaded: its questionnaires and strategies are frozen.
    """
    directory = Path(directory).resolve()
    key = (directory, _fingerprint(directory))
    if key not in _LOADED:
        while len(_LOADED) >= _FOLDERS_KEPT:
            del _LOADED[next(iter(_LOADED))]
        _LOADED[key] = _read_catalogs(directory)
    return dict(_LOADED[key])


# Catalogs already read and checked, by folder and the fingerprint of what was in it; the
# folders read longest ago go first (tests read many copies of the definitions, each once).
_LOADED: dict[tuple[Path, str], dict[str, Catalog]] = {}
_FOLDERS_KEPT = 4


def _fingerprint(directory: Path) -> str:
    """A digest of what the loader reads: the language folders' names, the YAML files' names
    and bytes."""
    digest = hashlib.sha256()
    root = directory / TRANSLATIONS_DIR
    folders = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    for path in [*folders, *sorted(directory.rglob("*.yaml"))]:
        digest.update(str(path.relative_to(directory)).encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def _read_catalogs(directory: Path) -> dict[str, Catalog]:
    source = load_catalog(directory)
    catalogs = {SOURCE_LANGUAGE: source}
    root = directory / TRANSLATIONS_DIR
    if root.is_dir():
        for language_dir in sorted(p for p in root.iterdir() if p.is_dir()):
            language = language_dir.name
            if not LANGUAGE_CODE.match(language):
                raise QuestionnaireError(
                    f"{TRANSLATIONS_DIR}/{language}", "", "must be named by a language code like es"
                )
            catalogs[language] = translate_catalog(source, language_dir, language)
    return catalogs
