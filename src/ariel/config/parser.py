"""The Asterisk ``.conf`` grammar (what main/config.c accepts) -> ordered sections.

Theory of operation:

1. A file is split on ``\\n`` only (as ``fgets`` does) and each line loses its
   comments in :func:`strip_comments`, which carries the block-comment depth from
   line to line: ``;`` ends the line, ``\\;`` is a literal ``;``, ``;--`` opens a
   nestable block comment and ``--;`` closes it.
2. What is left is trimmed and blank lines are skipped.  ``[name](flags)`` opens a
   section, ``#include``/``#tryinclude`` splice other files in place, anything
   else is ``key = value``, ``key => value`` (the "object" form) or ``key += more``.
3. Sections form an ordered list because names repeat (pjsip.conf declares
   ``[SOFTPHONE_A]`` as an endpoint and again as an aor).  In the flags, ``!``
   marks a template, a name copies (at that point) the options of the first
   section so called, templates included, and ``+`` reopens the first earlier
   non-template section of the same name.  Names compare case-insensitively.
4. An included file starts in the includer's current section; when it returns,
   the includer carries on in the section it was in, as Asterisk does.
5. Problems become diagnostics and parsing goes on; lines after a broken section
   header are dropped, so one mistake does not cascade.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ariel.config._files import display_name, expand, resolved
from ariel.config.conffile import ConfFile, Operator, Option, Section, format_conf
from ariel.config.diagnostics import Diagnostic, Reporter

__all__ = [
    "MAX_INCLUDE_DEPTH",
    "ConfFile",
    "Option",
    "Section",
    "format_conf",
    "parse_conf",
    "parse_file",
    "strip_comments",
]

#: Asterisk's MAX_INCLUDE_LEVEL: how deep ``#include`` may nest.
MAX_INCLUDE_DEPTH = 10
_WS = " \t\n\r\v\f"


def strip_comments(line: str, depth: int = 0) -> tuple[str, int]:
    """Remove comments from one line, given the block-comment depth before it.

    Args:
        line: One physical line.
        depth: How many ``;--`` block comments are open before this line.

    Returns:
        The text outside comments (``\\;`` turned into ``;``) and the depth after it.

    >>> strip_comments("a = b ; note")
    ('a = b ', 0)
    >>> strip_comments(r"a = b\\;c")
    ('a = b;c', 0)
    >>> strip_comments("x ;-- open")
    ('x ', 1)
    """
    out: list[str] = []
    i = 0
    while True:
        j = line.find(";", i)
        if j < 0:
            if depth == 0:
                out.append(line[i:])
            break
        if j > i and line[j - 1] == "\\":
            if depth == 0:
                out.append(line[i : j - 1] + ";")
            i = j + 1
        elif line.startswith("--", j + 1) and not line.startswith("-", j + 3):
            if depth == 0:
                out.append(line[i:j])
            depth += 1
            i = j + 3
        elif depth > 0 and j >= i + 2 and line[j - 2 : j] == "--":
            depth -= 1
            i = j + 1
        elif depth == 0:
            out.append(line[i:j])
            break
        else:
            i = j + 1
    return "".join(out), depth


@dataclass(frozen=True, slots=True)
class _Where:
    file: str
    line: int


@dataclass(slots=True)
class _Draft:
    """A section while it is being read (sections are frozen once the file is done)."""

    name: str
    file: str
    line: int
    is_template: bool = False
    templates: list[str] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)

    def freeze(self) -> Section:
        return Section(
            name=self.name,
            options=tuple(self.options),
            is_template=self.is_template,
            templates=tuple(self.templates),
            file=self.file,
            line=self.line,
        )


class _Parser:
    def __init__(self, config_dir: Path | None) -> None:
        self.config_dir = config_dir
        self.drafts: list[_Draft] = []
        self.report = Reporter()
        self.included: list[str] = []
        # Lines after a broken section header land here and are dropped.
        self.sink = _Draft(name="", file="", line=0)

    def run(
        self, text: str, name: str, cat: _Draft | None, stack: tuple[tuple[str, str], ...]
    ) -> None:
        depth = 0
        opened: list[int] = []
        for lineno, raw in enumerate(text.split("\n"), start=1):
            before = depth
            body, depth = strip_comments(raw, depth)
            opened.extend([lineno] * (depth - before))
            del opened[len(opened) - max(0, before - depth) :]
            line = body.strip(_WS)
            if not line:
                continue
            where = _Where(name, lineno)
            if line[0] == "[":
                cat = self._header(line, where)
            elif line[0] == "#":
                self._directive(line, where, cat, stack)
            else:
                self._option(line, where, cat)
        if opened:
            self.report.warning(_Where(name, opened[0]), "block comment ';--' is never closed")

    def _find(self, name: str, *, templates: bool, pattern: str = "") -> _Draft | None:
        wanted = name.lower()
        for draft in self.drafts:
            if draft.name.lower() != wanted or (draft.is_template and not templates):
                continue
            if pattern and not _matches_filter(draft, pattern):
                continue
            return draft
        return None

    def _header(self, line: str, where: _Where) -> _Draft:
        close = line.find("]")
        if close < 0:
            self.report.error(where, "section header has no closing ']'")
            return self.sink
        name = line[1:close].strip(_WS)
        rest = line[close + 1 :]
        flags: list[str] = []
        if rest.startswith("("):
            end = rest.find(")")
            if end < 0:
                self.report.error(where, f"section [{name}] has no closing ')' after its flags")
                return self.sink
            flags = [f.strip(_WS) for f in rest[1:end].split(",")]
            rest = rest[end + 1 :]
        if rest.strip(_WS):
            self.report.warning(where, f"text after section header ignored: {rest.strip(_WS)!r}")
        draft = _Draft(name=name, file=where.file, line=where.line)
        target = draft
        for flag in filter(None, flags):
            if flag == "!":
                target.is_template = True
            elif flag.startswith("+"):
                try:
                    earlier = self._find(name, templates=False, pattern=flag[1:].strip(_WS))
                except re.error as exc:
                    self.report.error(where, f"bad filter {flag[1:]!r} in section flags: {exc}")
                    return self.sink
                if earlier is None:
                    self.report.error(where, f"cannot append to [{name}]: no earlier section")
                    return self.sink
                earlier.is_template |= target.is_template
                earlier.options.extend(target.options)
                target = earlier
            else:
                base = self._find(flag, templates=True)
                if base is None:
                    self.report.error(where, f"section [{name}] names unknown template '{flag}'")
                    continue
                target.options.extend(base.options)
                target.templates.append(flag)
        if target is draft:
            self.drafts.append(draft)
        return target

    def _directive(
        self, line: str, where: _Where, cat: _Draft | None, stack: tuple[tuple[str, str], ...]
    ) -> None:
        word_end = 1
        while word_end < len(line) and ord(line[word_end]) > 32:
            word_end += 1
        word = line[1:word_end]
        arg = line[word_end:].strip(_WS)
        kind = word.lower()
        if kind == "exec":
            self.report.warning(where, "#exec is not supported; line ignored")
            return
        if kind not in ("include", "tryinclude"):
            self.report.warning(where, f"unknown directive '#{word}'; line ignored")
            return
        if len(arg) >= 2 and arg[0] in '"<' and arg[-1] == ('"' if arg[0] == '"' else ">"):
            arg = arg[1:-1].strip(_WS)
        if not arg:
            self.report.error(where, f"#{word} needs a file name")
            return
        if self.config_dir is None:
            self.report.error(where, f"#{word} {arg!r}: no configuration directory to read from")
            return
        try:
            paths = expand(self.config_dir, arg)
        except (OSError, ValueError) as exc:
            self.report.error(where, f"#{word} {arg!r}: {exc}")
            return
        if not paths and kind == "include":
            self.report.error(where, f"#include file '{arg}' does not exist")
        for path in paths:
            self._include(path, where, cat, stack)

    def _include(
        self, path: Path, where: _Where, cat: _Draft | None, stack: tuple[tuple[str, str], ...]
    ) -> None:
        assert self.config_dir is not None
        name = display_name(path, self.config_dir)
        try:
            key = str(path.resolve())
            regular = path.is_file()
        except (OSError, RuntimeError, ValueError) as exc:
            self.report.error(where, f"cannot read '{name}': {exc}")
            return
        chain = [shown for _, shown in stack]
        if key in (k for k, _ in stack):
            self.report.error(where, "include loop: " + " -> ".join([*chain, name]))
            return
        if len(stack) > MAX_INCLUDE_DEPTH:
            self.report.error(where, f"#include nested deeper than {MAX_INCLUDE_DEPTH} levels")
            return
        if not regular:
            self.report.warning(where, f"#include '{name}' is not a regular file; ignored")
            return
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            self.report.error(where, f"cannot read '{name}': {exc.strerror or exc}")
            return
        self.included.append(name)
        self.run(text, name, cat, (*stack, (key, name)))

    def _option(self, line: str, where: _Where, cat: _Draft | None) -> None:
        if cat is None:
            self.report.error(where, "line is outside any [section]")
            return
        if cat is self.sink:
            return
        escaped = line[0] == "\\"
        body = line[1:] if escaped else line
        skip = 1 if escaped else 0
        if escaped and (not body or ord(body[0]) < 33):
            self.report.error(where, "invalid escape at the start of the line")
            return
        eq = body.find("=", skip)
        if eq < 0:
            self.report.warning(where, "no '=' in line; ignored")
            return
        if eq > skip and body[eq - 1] == "+":
            key = body[: eq - 1].strip(_WS)
            if key and self._append(cat, key, body[eq + 1 :]):
                return
            op: Operator = "="
            value = body[eq + 1 :]
        else:
            key = body[:eq].strip(_WS)
            value = body[eq + 1 :]
            op = "=>" if value.startswith(">") else "="
            value = value[1:] if op == "=>" else value
        if not key:
            self.report.warning(where, "no option name before '='; line ignored")
            return
        cat.options.append(
            Option(key=key, value=value.strip(_WS), op=op, file=where.file, line=where.line)
        )

    @staticmethod
    def _append(cat: _Draft, key: str, more: str) -> bool:
        for index in range(len(cat.options) - 1, -1, -1):
            old = cat.options[index]
            if old.key == key:
                value = (old.value + more).strip(_WS)
                cat.options[index] = Option(
                    key=old.key, value=value, op=old.op, file=old.file, line=old.line
                )
                return True
        return False


def _matches_filter(draft: _Draft, pattern: str) -> bool:
    """Asterisk's category filter: ``name=value`` regex pairs joined by ``,`` or ``&``."""
    for clause in re.split("[,&]", pattern):
        key_re, sep, value_re = clause.partition("=")
        if not sep:
            return False
        if key_re.strip() == "TEMPLATES":
            continue
        if not any(
            re.search(key_re.strip(), o.key) and re.search(value_re.strip(), o.value)
            for o in draft.options
        ):
            return False
    return True


def _parse(text: str, filename: str, config_dir: Path | None, key: str) -> ConfFile:
    parser = _Parser(config_dir)
    parser.run(text, filename, None, ((key, filename),))
    return ConfFile(
        filename=filename,
        sections=tuple(d.freeze() for d in parser.drafts),
        diagnostics=parser.report.diagnostics,
        included=tuple(parser.included),
    )


def parse_conf(
    text: str, filename: str = "<string>", *, config_dir: Path | None = None
) -> ConfFile:
    """Parse configuration text.

    Args:
        text: The file's contents.
        filename: The name used in diagnostics and recorded on sections and options.
        config_dir: Where relative ``#include`` names are looked up; without it an
            ``#include`` is an error.

    Returns:
        The sections and the diagnostics; never raises for bad input.
    """
    key = resolved(config_dir / filename) if config_dir is not None else filename
    return _parse(text, filename, config_dir, key)


def parse_file(path: Path, *, config_dir: Path | None = None, name: str | None = None) -> ConfFile:
    """Read and parse one configuration file (and whatever it includes).

    Args:
        path: The file to read.
        config_dir: Where ``#include`` names are looked up (default: the file's folder).
        name: The name for diagnostics (default: ``path`` relative to ``config_dir``).

    Returns:
        The parsed file; a file that cannot be read gives a single error diagnostic.
    """
    directory = config_dir if config_dir is not None else path.parent
    shown = name if name is not None else display_name(path, directory)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        problem = Diagnostic(file=shown, line=1, message=f"cannot read: {exc.strerror or exc}")
        return ConfFile(filename=shown, diagnostics=(problem,))
    return _parse(text, shown, directory, resolved(path))
