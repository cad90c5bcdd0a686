"""Visible text of an HTML page, robust to the malformed markup scraped pages are full of."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from .model import PARSE_ERROR, Rejected

_INVISIBLE = frozenset({"script", "style", "noscript", "template", "title", "head"})
# What a <head> may hold (HTML Living Standard, "in head" insertion mode): any other start
# tag, or text outside these, ends a head whose </head> and <body> were left out, as allowed.
_HEAD_CONTENT = frozenset({"base", "basefont", "bgsound", "link", "meta", "noscript", "script", "style", "template", "title"})
_BLOCKS = frozenset(
    "address article aside blockquote br caption dd details div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul".split()
)
_RUNS_OF_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def html_to_text(markup: str) -> str:
    """Drop invisible elements, break lines at blocks, unescape entities, tidy whitespace."""
    parser = _VisibleTextParser()
    try:
        parser.feed(_escape_unterminated_tags(markup))
        parser.close()
    except AssertionError as error:  # html.parser asserts on some malformed declarations
        raise Rejected(PARSE_ERROR, f"html: {error}") from None
    lines = (_RUNS_OF_SPACE.sub(" ", line).strip() for line in "".join(parser.pieces).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _escape_unterminated_tags(markup: str) -> str:
    """``markup`` without a comment left open at its end, and with every "<" after its last
    ">" escaped.

    A browser hides an unclosed "<!--" to the end of the page; html.parser gave it out as
    text. A "<" after the last ">" starts no complete tag, and html.parser (Python 3.11)
    rescans the rest of the page for each of them before giving them out as text: quadratic,
    minutes for a 100 kB run of "<a ". Escaped, they are the same text at once."""
    comment = markup.rfind("<!--")
    if comment >= 0 and markup.find("-->", comment + 4) < 0:
        markup = markup[:comment]
    last = markup.rfind(">")
    return markup[: last + 1] + markup[last + 1 :].replace("<", "&lt;")


class _VisibleTextParser(HTMLParser):
    """Keeps only counters, not a tag stack, so arbitrarily deep nesting costs nothing."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._open_invisible = dict.fromkeys(_INVISIBLE, 0)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag not in _HEAD_CONTENT:  # <body>, or any tag of a body, closes an unterminated <head>
            self._open_invisible["head"] = 0
        if tag in _INVISIBLE:
            self._open_invisible[tag] += 1
        elif tag in _BLOCKS:
            self.pieces.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in _BLOCKS:  # <br/>; a self-closed <script/> hides nothing
            self.pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE:
            self._open_invisible[tag] = max(0, self._open_invisible[tag] - 1)
        elif tag in _BLOCKS:
            self.pieces.append("\n")

    def handle_data(self, data: str) -> None:
        hidden = self._open_invisible
        if hidden["head"] and data.strip() and not any(count for tag, count in hidden.items() if tag != "head"):
            hidden["head"] = 0  # text in a head, outside its title and scripts, starts the body
        if not any(hidden.values()):
            self.pieces.append(data)
