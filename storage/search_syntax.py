"""What a user types into the search box, made safe for SQLite FTS5 and PostgreSQL.

The text is never handed to either query language as it is. It is cut into terms, each term
into words of letters and digits only, and the words are quoted again for the database, so
operators, quotes and SQL in the input can only ever be words to look for. Understood:

- `frigate trials`: every word must appear (English stemming: "frigates" finds "frigate");
- `"sea trials"`: an exact phrase (an unclosed quote runs to the end of the text);
- `-drone`, `-"press release"`: leave out what contains it;
- `frig*`: a word beginning so.

Anything else (`OR`, `NEAR(`, `col:`) is read as plain words. Snippets mark matches with
`HIGHLIGHT_START` / `HIGHLIGHT_END`; `split_highlights` cuts a snippet at the marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.exceptions import SearchQueryError

HIGHLIGHT_START = "[["
HIGHLIGHT_END = "]]"
MAX_TEXT_CHARS = 500
MAX_TERMS = 32

_TERM = re.compile(r'(?P<minus>-?)"(?P<phrase>[^"]*)"?|(?P<chunk>[^\s"]+)')
_WORD = re.compile(r"[^\W_]+")
_HIGHLIGHT = re.compile(f"{re.escape(HIGHLIGHT_START)}(.*?){re.escape(HIGHLIGHT_END)}", re.S)


@dataclass(frozen=True, slots=True)
class Term:
    """Words that must appear side by side (one word, or a phrase)."""

    words: tuple[str, ...]
    excluded: bool = False
    prefix: bool = False


def parse_search_text(text: str) -> tuple[Term, ...]:
    """The terms of the text; none for blank text (a search by filters alone)."""
    if len(text) > MAX_TEXT_CHARS:
        raise SearchQueryError(
            f"search text too long: {len(text)} characters, at most {MAX_TEXT_CHARS}"
        )
    terms = tuple(term for match in _TERM.finditer(text) if (term := _term(match)) is not None)
    if not terms:
        if text.strip():
            raise SearchQueryError(f"nothing to search for in {text!r}: no letters or digits")
        return ()
    if len(terms) > MAX_TERMS:
        raise SearchQueryError(f"too many search terms: {len(terms)}, at most {MAX_TERMS}")
    if all(term.excluded for term in terms):
        raise SearchQueryError(f"{text!r} only excludes words: say what to look for as well")
    return terms


def _term(match: re.Match[str]) -> Term | None:
    if match["chunk"] is None:
        words = tuple(_WORD.findall(match["phrase"].casefold()))
        return Term(words, excluded=bool(match["minus"])) if words else None
    chunk = match["chunk"]
    words = tuple(_WORD.findall(chunk.casefold()))
    if not words:
        return None
    return Term(words, excluded=chunk.startswith("-"), prefix=chunk.endswith("*"))


def fts5_expression(terms: tuple[Term, ...]) -> str:
    """An FTS5 MATCH expression: every wanted term, then NOT each excluded one."""
    wanted = " AND ".join(_fts5_term(term) for term in terms if not term.excluded)
    unwanted = "".join(f" NOT {_fts5_term(term)}" for term in terms if term.excluded)
    return f"({wanted}){unwanted}"


def _fts5_term(term: Term) -> str:
    phrase = " ".join(term.words).replace('"', '""')
    return f'"{phrase}"' + (" *" if term.prefix else "")


def tsquery_text(terms: tuple[Term, ...]) -> str:
    """A `to_tsquery` argument: terms joined by &, phrases by <->, exclusions under !."""
    return " & ".join(_tsquery_term(term) for term in terms)


def _tsquery_term(term: Term) -> str:
    lexemes = [_tsquery_lexeme(word) for word in term.words]
    if term.prefix:
        lexemes[-1] += ":*"
    phrase = " <-> ".join(lexemes)
    return f"!({phrase})" if term.excluded else f"({phrase})"


def _tsquery_lexeme(word: str) -> str:
    # Words hold letters and digits only; quoting is a second line of defence.
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def split_highlights(snippet: str) -> list[tuple[str, bool]]:
    """The snippet as (text, is_match) pieces, for a terminal or HTML to colour the matches."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for found in _HIGHLIGHT.finditer(snippet):
        if found.start() > position:
            pieces.append((snippet[position : found.start()], False))
        pieces.append((found[1], True))
        position = found.end()
    if position < len(snippet):
        pieces.append((snippet[position:], False))
    return pieces
