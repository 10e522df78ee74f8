"""``python -m questionnaires <lang>``: start or top up a language's definition files.

For each source file, writes to ``questionnaires/i18n/<lang>/`` the keys its translation
lacks, with the English words as the text to translate, after the keys already there. A
new language starts as a full English copy; after a source change, only what is new is
added (README, "Adding a language"). Keys the source no longer has are left for start-up to
name.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from pydantic import BaseModel

from .loader import DEFINITIONS_DIR, LANGUAGE_CODE, TRANSLATIONS_DIR, load_catalog
from .translations import missing_texts


def top_up(language: str, directory: Path = DEFINITIONS_DIR) -> dict[str, int]:
    """Add every missing key of every file of ``language``; how many keys each file got."""
    catalog = load_catalog(directory)
    sources: dict[str, BaseModel] = {
        f"{qid}.v{v}.yaml": q for (qid, v), q in catalog.questionnaires.items()
    }
    sources["strategies.yaml"] = catalog.strategies
    sources["helplines.yaml"] = catalog.helplines
    target = directory / TRANSLATIONS_DIR / language
    target.mkdir(parents=True, exist_ok=True)
    added: dict[str, int] = {}
    for name, source in sorted(sources.items()):
        path = target / name
        texts = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
        texts = texts if isinstance(texts, dict) else {}
        missing = missing_texts(source, texts)
        if missing or not path.exists():
            path.write_text(
                yaml.safe_dump(
                    {**texts, **missing}, allow_unicode=True, sort_keys=False, width=100
                ),
                encoding="utf-8",
            )
        added[name] = len(missing)
    return added


def main(arguments: list[str]) -> int:
    """Top up one language, say what was added, and exit 2 on a wrong language code."""
    if len(arguments) != 1 or not LANGUAGE_CODE.match(arguments[0]):
        print("usage: python -m questionnaires <lang>   (a code like es)", file=sys.stderr)
        return 2
    for name, count in top_up(arguments[0]).items():
        print(f"{TRANSLATIONS_DIR}/{arguments[0]}/{name}: {count} texts to translate")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
