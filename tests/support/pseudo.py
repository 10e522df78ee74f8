"""A pseudo-language in which every word that came through a catalog is wrapped in ⟦ ⟧.

Rendering a page in it shows at once any word that did not: it stands outside the brackets
(issue 27, acceptance 1). The interface's catalog is made from ``translations/messages.pot``
(as ``make extract-words`` writes it) and the definitions' files from the English sources,
each text wrapped; both go to a test's own folder, and the app is pointed at them. The
language is Esperanto's code, ``eo``: Babel knows it, and Rekindle does not offer it.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import yaml
from babel.core import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from assessment.i18n import LANGUAGES
from questionnaires.loader import DEFINITIONS_DIR, TRANSLATIONS_DIR, load_catalog
from questionnaires.translations import source_texts

ROOT = Path(__file__).resolve().parents[2]
PSEUDO = "eo"
OPEN, CLOSE = "⟦", "⟧"
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd%]")


def wrapped(text: str) -> str:
    """``text`` in brackets, its placeholders and its surrounding white space kept."""
    if not text.strip():
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{OPEN}{text.strip()}{CLOSE}{trail}"


def pseudo_messages(folder: Path) -> Path:
    """``folder/eo/LC_MESSAGES/messages.mo``: every msgid of messages.pot, wrapped."""
    with open(ROOT / "translations" / "messages.pot", "rb") as template:
        source = read_po(template)
    catalog = Catalog(locale=PSEUDO)
    for message in source:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            catalog.add(message.id, tuple(wrapped(form) for form in message.id))
        else:
            catalog.add(message.id, wrapped(message.id), flags=message.flags)
    messages = folder / PSEUDO / "LC_MESSAGES"
    messages.mkdir(parents=True)
    with open(messages / "messages.mo", "wb") as compiled:
        write_mo(compiled, catalog)
    return folder


def pseudo_definitions(folder: Path) -> Path:
    """A copy of the definitions with an ``i18n/eo/`` whose every text is wrapped."""
    shutil.copytree(DEFINITIONS_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    catalog = load_catalog(DEFINITIONS_DIR)
    target = folder / TRANSLATIONS_DIR / PSEUDO
    target.mkdir(parents=True)
    sources = {f"{qid}.v{v}.yaml": q for (qid, v), q in catalog.questionnaires.items()}
    for name, model in (*sources.items(), ("strategies.yaml", catalog.strategies)):
        texts = {key: wrapped(words) for key, words in source_texts(model).items()}
        (target / name).write_text(yaml.safe_dump(texts, allow_unicode=True), encoding="utf-8")
    # Help lines: the services' own names stay as they are in every language, by design.
    texts = {key: wrapped(words) for key, words in source_texts(catalog.helplines).items()}
    (target / "helplines.yaml").write_text(
        yaml.safe_dump(texts, allow_unicode=True), encoding="utf-8"
    )
    return folder


def pseudo_settings(folder: Path) -> dict[str, object]:
    """The settings that make an app speak the pseudo-language to a reader who asks for it."""
    return {
        "BABEL_TRANSLATION_DIRECTORIES": str(pseudo_messages(folder / "translations")),
        "QUESTIONNAIRE_DIR": str(pseudo_definitions(folder / "definitions")),
        "LANGUAGES": {**LANGUAGES, PSEUDO: f"{OPEN}Pseudo{CLOSE}"},
    }


class _VisibleText(HTMLParser):
    """The words a reader sees or hears: text outside scripts and styles, and the attributes
    a screen reader or a browser shows (title, alt, placeholder, aria-label, a button's
    value)."""

    SPOKEN = ("title", "alt", "placeholder", "aria-label", "aria-description")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: list[str] = []
        self._hidden = 0  # inside <script>, <style>, or the language chooser's <select>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        # <code> holds literal values (a recovery code, a file name), never sentences.
        if tag in ("script", "style", "template", "code") or (
            tag == "select" and found.get("id") == "language"
        ):
            self._hidden += 1
        for name in self.SPOKEN:
            if found.get(name):
                self.attributes.append(found[name] or "")
        if tag == "input" and found.get("type") in ("submit", "button") and found.get("value"):
            self.attributes.append(found["value"] or "")
        self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template", "select", "code") and self._hidden:
            self._hidden -= 1
        self.text.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def _unbracketed(text: str) -> str:
    """What is left of ``text`` once every bracketed span (nested or not) is taken out."""
    previous = None
    while previous != text:
        previous = text
        text = re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
    return text


def _allowed_words(extra: set[str]) -> set[str]:
    """Words that are right untranslated: the name, dates' month and day names as Babel
    writes them in the pseudo-language, people's own names, services' own names."""
    locale = Locale.parse(PSEUDO)
    words = {"Rekindle"} | extra
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            words |= {w for w in locale.months[context][width].values()}
            words |= {w for w in locale.days[context][width].values()}
    return {part for word in words for part in re.findall(r"\w+", word)}


def untranslated(html: str, allowed: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Every run of words on a page that did not come through a catalog."""
    parser = _VisibleText()
    parser.feed(html)
    words = _allowed_words(set(allowed))
    found = []
    for chunk in ["".join(parser.text), *parser.attributes]:
        for run in re.split(r"\s{2,}|[·|]", _unbracketed(chunk)):
            # A token with a digit is a code, a number or a date; a person's own words pass.
            tokens = [t for t in run.split() if not re.search(r"\d", t)]
            letters = [w for t in tokens for w in re.findall(r"[^\W\d_]{2,}", t) if w not in words]
            if letters:
                found.append(" ".join(run.split()))
    return found
