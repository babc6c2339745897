"""A saved web page's text: its main content (<main> or <article> when it has one), without
navigation, header, footer or scripts, its lists within lists at most MAX_LIST_DEPTH deep."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from bptrack.errors import DocumentError

MAX_LIST_DEPTH = 50  # lists within lists; a statement's go three or four deep

_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template",
         "svg", "button", "select", "iframe"}
_BLOCK = {"p", "div", "section", "article", "main", "br", "tr", "table", "ul", "ol", "li",
          "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt", "pre", "hr"}


class _PageText(HTMLParser):
    """Text of the main content: <main> or <article> when the page has one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.main_lines: list[str] | None = None
        self._current: list[str] = []
        self._skip = 0
        self._main = 0
        self._lists: list[list[int]] = []  # [is_ordered, count] per open list
        self._prefix = ""

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        self._current = []
        if text:
            line = self._prefix + text
            self.lines.append(line)
            if self._main and self.main_lines is not None:
                self.main_lines.append(line)
        self._prefix = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        roles = {value for name, value in attrs if name == "role"}
        if tag in _SKIP or roles & {"navigation", "banner", "contentinfo"}:
            self._skip += 1
            return
        if self._skip:
            return
        if tag in ("main", "article") or "main" in roles:
            self._main += 1
            if self.main_lines is None:
                self.main_lines = []
        if tag in _BLOCK:
            self._flush()
        if tag in ("ul", "ol"):
            if len(self._lists) >= MAX_LIST_DEPTH:
                raise DocumentError(f"the page nests lists more than {MAX_LIST_DEPTH} deep: "
                                    "it is no statement (a hostile page?)")
            self._lists.append([tag == "ol", 0])
        elif tag == "li" and self._lists:
            self._lists[-1][1] += 1
            ordered, count = self._lists[-1]
            indent = "   " * min(len(self._lists) - 1, 8)
            self._prefix = indent + (f"{count}. " if ordered else "- ")
        elif re.fullmatch(r"h[1-6]", tag):
            self._prefix = "#" * int(tag[1]) + " "
        elif tag == "td" or tag == "th":
            self._current.append(" – " if self._current else "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if self._skip:
            return
        if tag in _BLOCK:
            self._flush()
        if tag in ("ul", "ol") and self._lists:
            self._lists.pop()
        if tag in ("main", "article") and self._main:
            self._main -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._current.append(data)


def html_text(page: str) -> str:
    """The main content of a saved web page as lines: paragraphs, list items, headings."""
    parser = _PageText()
    parser.feed(page)
    parser.close()
    parser._flush()
    lines = parser.main_lines if parser.main_lines else parser.lines
    return "\n\n".join(lines)
