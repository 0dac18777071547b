"""Finding the dialplan step for (context, extension, priority).

Theory of operation (after main/pbx.c ``pbx_find_extension`` with the default
``extenpatternmatchnew=no``): each context's extensions are grouped as
Asterisk groups them (same extension and same caller-id pattern, by the sort
key of :mod:`patterns`) and the groups are sorted in Asterisk's order, with
caller-id-specific groups before the plain group of the same extension.  A
search walks the groups in that order; the first group that matches the
dialled extension (and the caller id) *and* has the wanted priority (or label)
wins; a group that matches but lacks the priority does not stop the search.
Only then are the context's ``include =>`` contexts searched, depth first and
in order, each context at most once per search (Asterisk's include stack), so
include loops end.  An include with a time spec counts only when ``now`` is
given and inside it (or when no ``now`` is given at all).

The index is immutable: :meth:`DialplanIndex.with_context` returns a new index
with a context added or replaced (how ``stasis-<app>`` contexts are added when
an ARI application registers).  Priorities are plain numbers: the parser has
resolved ``n``, ``s`` and labels already.  After priority *p* Asterisk runs
*p + 1* if it exists and otherwise ends the extension, so
:meth:`DialplanIndex.next_priority` looks for exactly *p + 1*.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum

from ariel.config.dialplan import Context, Dialplan, Extension, Hint
from ariel.core.dialplan.patterns import (
    MatchMode,
    SortKey,
    is_pattern,
    match,
    match_core,
    normalize_callerid_pattern,
    normalize_exten,
    sort_key,
)
from ariel.core.dialplan.timing import Timing, parse_timing

__all__ = ["DialplanIndex", "Found", "LookupStatus", "stasis_context"]

#: Asterisk's AST_PBX_MAX_STACK: how many contexts one search may visit.
MAX_INCLUDE_DEPTH = 512
_HINT_PRIORITY = -1


class LookupStatus(IntEnum):
    """How far a search got (``STATUS_*`` of pbx.c); higher is further."""

    NO_CONTEXT = 1
    NO_EXTENSION = 2
    NO_PRIORITY = 3
    NO_LABEL = 4
    SUCCESS = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class Found:
    """The outcome of a search.

    Attributes:
        extension: The step found, or ``None``.
        status: How far the search got, for error messages.
        context: The context the step was written in (an included one, maybe).
    """

    extension: Extension | None
    status: LookupStatus
    context: str = ""


@dataclass(frozen=True, slots=True)
class _Group:
    """One extension of a context: its priorities, labels and hint."""

    exten: str
    cid_match: str | None
    priorities: Mapping[int, Extension]
    labels: Mapping[str, Extension]
    hint: Hint | None = None


@dataclass(frozen=True, slots=True)
class _Include:
    context: str
    timing: Timing | None


@dataclass(frozen=True, slots=True)
class _Indexed:
    context: Context
    groups: tuple[_Group, ...]
    includes: tuple[_Include, ...]
    literals: Mapping[str, tuple[_Group, ...]]
    patterns: tuple[_Group, ...]

    def candidates(self, exten: str, mode: MatchMode) -> Iterable[_Group]:
        """The groups worth trying, in order (an exact match can only be one literal)."""
        if mode != MatchMode.MATCH:
            return self.groups
        return (*self.literals.get(exten.replace("-", ""), ()), *self.patterns)


def _group_key(exten: str, cid: str | None) -> tuple[SortKey, int, SortKey]:
    # Caller-id-specific entries sort before the plain entry of the same exten.
    return (sort_key(exten), 1 if cid is None else 0, sort_key(cid or ""))


def _index_context(context: Context) -> _Indexed:
    builders: dict[tuple[SortKey, int, SortKey], tuple[str, str | None, dict[int, Extension]]] = {}
    labels: dict[tuple[SortKey, int, SortKey], dict[str, Extension]] = {}
    hints: dict[tuple[SortKey, int, SortKey], Hint] = {}
    for extension in context.extensions:
        exten = normalize_exten(extension.exten)
        cid = (
            None if extension.cid_match is None else normalize_callerid_pattern(extension.cid_match)
        )
        key = _group_key(exten, cid)
        _, _, priorities = builders.setdefault(key, (exten, cid, {}))
        priorities.setdefault(extension.priority, extension)
        if extension.label:
            labels.setdefault(key, {}).setdefault(extension.label, extension)
    for hint in context.hints:
        exten = normalize_exten(hint.exten)
        cid = None if hint.cid_match is None else normalize_callerid_pattern(hint.cid_match)
        key = _group_key(exten, cid)
        builders.setdefault(key, (exten, cid, {}))
        hints.setdefault(key, hint)
    groups = tuple(
        _Group(
            exten=exten,
            cid_match=cid,
            priorities=priorities,
            labels=labels.get(key, {}),
            hint=hints.get(key),
        )
        for key, (exten, cid, priorities) in sorted(builders.items(), key=lambda item: item[0])
    )
    includes = tuple(
        _Include(context=include.context, timing=parse_timing(include.timing))
        for include in context.includes
    )
    literals: dict[str, list[_Group]] = {}
    for group in groups:
        if not is_pattern(group.exten):
            literals.setdefault(group.exten.replace("-", ""), []).append(group)
    return _Indexed(
        context=context,
        groups=groups,
        includes=includes,
        literals={key: tuple(value) for key, value in literals.items()},
        patterns=tuple(group for group in groups if is_pattern(group.exten)),
    )


def _cid_matches(pattern: str | None, caller_id: str | None) -> bool:
    """pbx.c ``matchcid``: an empty pattern matches "no caller id" only."""
    if pattern is None:
        return True
    if not caller_id:
        return not pattern
    return match(pattern, caller_id)


@dataclass(slots=True)
class _Search:
    """One search's state: what is wanted and the include stack."""

    exten: str
    priority: int
    label: str | None
    caller_id: str | None
    mode: MatchMode
    now: datetime | None
    visited: list[str] = field(default_factory=list)
    status: LookupStatus = LookupStatus.NO_CONTEXT
    hint: Hint | None = None


class DialplanIndex:
    """Answers "which step runs next" over a whole dialplan.

    Args:
        dialplan: The parsed dialplan, or just its contexts by name.
    """

    __slots__ = ("_contexts",)

    def __init__(self, dialplan: Dialplan | Mapping[str, Context]) -> None:
        contexts = dialplan.contexts if isinstance(dialplan, Dialplan) else dialplan
        self._contexts: dict[str, _Indexed] = {
            name: _index_context(context) for name, context in contexts.items()
        }

    @classmethod
    def _from(cls, indexed: Iterable[tuple[str, _Indexed]]) -> DialplanIndex:
        new = cls({})
        new._contexts = dict(indexed)
        return new

    @property
    def contexts(self) -> Mapping[str, Context]:
        """The contexts by name."""
        return {name: item.context for name, item in self._contexts.items()}

    def context(self, name: str) -> Context | None:
        """The context called ``name`` (case-sensitive), if any."""
        item = self._contexts.get(name)
        return item.context if item else None

    def has_context(self, name: str) -> bool:
        """Whether a context called ``name`` exists (``DIALPLAN_EXISTS(name)``)."""
        return name in self._contexts

    def with_context(self, context: Context) -> DialplanIndex:
        """A new index with ``context`` added, replacing one of the same name."""
        items = dict(self._contexts)
        items[context.name] = _index_context(context)
        return DialplanIndex._from(items.items())

    def without_context(self, name: str) -> DialplanIndex:
        """A new index without the context called ``name``."""
        return DialplanIndex._from((n, c) for n, c in self._contexts.items() if n != name)

    def search(
        self,
        context: str,
        exten: str,
        *,
        priority: int = 1,
        label: str | None = None,
        caller_id: str | None = None,
        mode: MatchMode = MatchMode.MATCH,
        now: datetime | None = None,
    ) -> Found:
        """Search as ``pbx_find_extension`` does.

        Args:
            context: Where to start.
            exten: The dialled extension.
            priority: The priority wanted (ignored when ``label`` is given).
            label: Find the priority carrying this label instead.
            caller_id: The caller's number, for ``exten/cid`` entries.
            mode: Exact match, "can match" or "needs more digits".
            now: The current local time, for timed includes.
        """
        state = _Search(exten, priority, label, caller_id, mode, now)
        found, where = self._search(context, state)
        return Found(extension=found, status=state.status, context=where)

    def _search(self, name: str, state: _Search) -> tuple[Extension | None, str]:
        if len(state.visited) >= MAX_INCLUDE_DEPTH or name in state.visited:
            return None, ""
        indexed = self._contexts.get(name)
        if indexed is None:
            return None, ""
        state.status = max(state.status, LookupStatus.NO_EXTENSION)
        for group in indexed.candidates(state.exten, state.mode):
            result = match_core(group.exten, state.exten, state.mode)
            if not result or not _cid_matches(group.cid_match, state.caller_id):
                continue
            if result == 2 and state.mode == MatchMode.MATCHMORE:
                return None, ""  # '!' matched: stop collecting digits here
            state.status = max(state.status, LookupStatus.NO_PRIORITY)
            if state.label is not None:
                state.status = max(state.status, LookupStatus.NO_LABEL)
                step = group.labels.get(state.label)
            else:
                step = group.priorities.get(state.priority)
                if step is None and state.priority == _HINT_PRIORITY and group.hint:
                    state.hint = group.hint
                    step = _hint_step(group.hint)
            if step is not None:
                state.status = LookupStatus.SUCCESS
                return step, name
        state.visited.append(name)
        for include in indexed.includes:
            timing = include.timing
            if timing is not None and state.now is not None and not timing.matches(state.now):
                continue
            step, where = self._search(include.context, state)
            if step is not None:
                return step, where
        return None, ""

    def find(
        self,
        context: str,
        exten: str,
        priority: int,
        caller_id: str | None = None,
        *,
        now: datetime | None = None,
    ) -> Extension | None:
        """The step to run for ``exten`` at ``priority`` in ``context``, following includes."""
        return self.search(
            context, exten, priority=priority, caller_id=caller_id, now=now
        ).extension

    def find_label(
        self,
        context: str,
        exten: str,
        label: str,
        caller_id: str | None = None,
        *,
        now: datetime | None = None,
    ) -> Extension | None:
        """The step labelled ``label`` for ``exten`` (``ast_findlabel_extension``)."""
        return self.search(context, exten, label=label, caller_id=caller_id, now=now).extension

    def exists(
        self,
        context: str,
        exten: str,
        priority: int = 1,
        caller_id: str | None = None,
        *,
        now: datetime | None = None,
    ) -> bool:
        """``ast_exists_extension``: whether a step exists there."""
        return self.find(context, exten, priority, caller_id, now=now) is not None

    def can_match(
        self,
        context: str,
        exten: str,
        priority: int = 1,
        caller_id: str | None = None,
        *,
        now: datetime | None = None,
    ) -> bool:
        """``ast_canmatch_extension``: ``exten`` matches now or may after more digits."""
        found = self.search(
            context, exten, priority=priority, caller_id=caller_id, mode=MatchMode.CANMATCH, now=now
        )
        return found.extension is not None

    def match_more(
        self,
        context: str,
        exten: str,
        priority: int = 1,
        caller_id: str | None = None,
        *,
        now: datetime | None = None,
    ) -> bool:
        """``ast_matchmore_extension``: more digits could still select an extension."""
        found = self.search(
            context,
            exten,
            priority=priority,
            caller_id=caller_id,
            mode=MatchMode.MATCHMORE,
            now=now,
        )
        return found.extension is not None

    def next_priority(
        self,
        context: str,
        exten: str,
        priority: int,
        caller_id: str | None = None,
        *,
        now: datetime | None = None,
    ) -> int | None:
        """The priority that runs after ``priority``: ``priority + 1`` if it exists."""
        following = priority + 1
        return following if self.exists(context, exten, following, caller_id, now=now) else None

    def hint(self, context: str, exten: str) -> Hint | None:
        """The hint for ``exten`` (``ast_get_hint``: searched as priority "hint", no caller id)."""
        state = _Search(exten, _HINT_PRIORITY, None, "", MatchMode.MATCH, None)
        self._search(context, state)
        return state.hint


def _hint_step(hint: Hint) -> Extension:
    return Extension(
        exten=hint.exten,
        priority=_HINT_PRIORITY,
        app=hint.device,
        app_data=hint.presence,
        cid_match=hint.cid_match,
        file=hint.file,
        line=hint.line,
    )


def stasis_context(app: str) -> Context:
    """The context Asterisk creates when ARI application ``app`` registers.

    ``[stasis-<app>]`` with ``exten => _.,1,Stasis(<app>)``.
    """
    name = f"stasis-{app}"
    step = Extension(exten="_.", priority=1, app="Stasis", app_data=app, file="res_stasis")
    return Context(name=name, extensions=(step,), file="res_stasis")
