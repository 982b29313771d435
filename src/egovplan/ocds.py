"""OCDS planning budgets: read them into plans, write plans as them.

The `Open Contracting Data Standard <https://standard.open-contracting.org>`_ publishes
public contracting processes; a release's ``planning.budget`` says what money a process
plans to spend, and the *budget breakdown* extension
(``planning.budget.budgetBreakdown``) splits it by period and by the party the money
comes from. :func:`read` turns each contracting process of a release package, a record
package or a single release into a :class:`~egovplan.plan.Plan`: the budget breakdown
into funding sources and budget lines, the parties and their roles (buyer,
procuringEntity, funder, payer…) into agencies and assignments, implementation
transactions into flows. :func:`write` writes plans as an OCDS 1.1 release package.

Nothing is dropped silently: :func:`read_report` returns a :class:`ReadResult` whose
``not_carried`` lists, by JSON pointer, every part of a release that no field of the plan
holds (the tender, awards, descriptions, documents…), and whose ``kept`` holds those
parts, which :func:`write` merges back (``write(result.plans, path, kept=result.kept)``).
The mapping is data: ``egovplan/data/ocds.toml`` and the roles catalogue's
``ocds_roles``.

>>> from pathlib import Path
>>> import egovplan
>>> example = Path(egovplan.__file__).parent / "data" / "ocds" / "example.json"
>>> result = read_report(example)
>>> plan = result.plans[0]
>>> plan.id, str(plan.period)
('ocds-xm0000-egov-2024', '2024-2025')
>>> [(line.source, line.year, str(line.amount)) for line in plan.funding.lines]
[('XM-DOF', 2024, '400000.50 USD'), ('XM-DONOR', 2025, '1000000 USD')]
>>> [(a.agency, a.role) for a in plan.tasks[0].assignments]
[('XM-DOF', 'lead'), ('XM-DONOR', 'fund')]
>>> for entry in result.not_carried:
...     print(entry)
/uri = 'https://example.org/ocds/xm-egov-2024.json': the package's own field
/version = '1.1': the package's own field
/publishedDate = '2024-03-01T00:00:00Z': the package's own field
/publisher: the package's own field
/releases/0/id = 'ocds-xm0000-egov-2024-1': the release's own field
/releases/0/date = '2024-02-15T00:00:00Z': the release's own field
/releases/0/tag: the release's own field
/releases/0/initiationType = 'tender': the release's own field
/releases/0/planning/budget/budgetBreakdown/0/description = 'Provincial budget': no home in \
the plan model
>>> '"budgetBreakdown"' in dumps(result.plans, kept=result.kept)
True
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from egovplan._data import data_text
from egovplan._decimal import in_own_context
from egovplan.errors import EgovplanError, LoadError, Problem
from egovplan.labels import Labels, localized
from egovplan.plan import Plan

if TYPE_CHECKING:
    from egovplan.files import Limits
    from egovplan.funding import BudgetLine
    from egovplan.money import Money
    from egovplan.period import Period

__all__ = [
    "Kept",
    "NotCarried",
    "OcdsWriteError",
    "ReadResult",
    "dumps",
    "mapping_table",
    "read",
    "read_report",
    "reads_report",
    "write",
]

_NO_HOME: Final = "no home in the plan model"
#: A place in a JSON document: its keys and list indexes.
_Path = tuple[str | int, ...]


class OcdsWriteError(EgovplanError, ValueError):
    """The plans cannot be written as an OCDS release package; the message names why."""


@functools.cache
def _data() -> dict[str, Any]:
    return tomllib.loads(data_text("ocds.toml"))


def _pointer(path: _Path) -> str:
    """``path`` as a JSON pointer (``/releases/0/planning``)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


@attrs.frozen(kw_only=True)
class NotCarried:
    """A part of an OCDS document that no field of the plan holds.

    Attributes:
        plan: the id (the ``ocid``) of the plan it belongs to (``""`` for the package's
            own fields).
        path: its JSON pointer in the document (``/releases/0/tender``).
        value: its value, if a short text or number.
        reason: why it was not carried over.
    """

    plan: str
    path: str
    value: str | None = None
    reason: str = _NO_HOME

    @property
    def activity(self) -> str:
        """:attr:`plan` (the name ``egovplan convert`` reads for every standard)."""
        return self.plan

    def __str__(self) -> str:
        shown = "" if self.value is None else f" = {self.value!r}"
        return f"{self.path}{shown}: {self.reason}"


@attrs.frozen(kw_only=True)
class Kept:
    """What of one contracting process the plan does not hold, kept for :func:`write`.

    Attributes:
        release: the release with every part the plan holds taken out (objects in lists
            keep their ``id``, which :func:`write` merges them back by).
        package: the package's own fields (``uri``, ``publisher``, ``publishedDate``…).
        title_at: where the plan's title was read from (keys), if it was.
        flows: by flow id, the contract and transaction ids it was read from, and where
            the transaction had its amount (``value``, or ``amount`` in OCDS 1.0).
        buyer_identifier: the id of the agency read from an OCDS 1.0 ``buyer`` (by its
            ``identifier``, without ``parties``), written back the same way.
    """

    release: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    package: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    title_at: tuple[str, ...] | None = None
    flows: Mapping[str, tuple[Any, Any, str]] = attrs.field(factory=dict, hash=False)
    buyer_identifier: str | None = None


@attrs.frozen(kw_only=True)
class ReadResult:
    """What :func:`read_report` read: the plans, and what they do not hold.

    Attributes:
        plans: one plan per contracting process (``ocid``), in file order.
        not_carried: every part of the document no field holds, in document order.
        kept: by plan id, the parts :func:`write` can merge back.
    """

    plans: tuple[Plan, ...]
    not_carried: tuple[NotCarried, ...] = ()
    kept: Mapping[str, Kept] = attrs.field(factory=dict, hash=False)


# -- reading ------------------------------------------------------------------------------


def read(path: str | os.PathLike[str], *, limits: Limits | None = None) -> list[Plan]:
    """The plans of an OCDS release package, record package or release (one per ``ocid``).

    See :func:`read_report` for what was not carried over.

    Raises:
        LoadError: the file cannot be read, is not JSON within the limits, or is not an
            OCDS package or release; each problem names the place (a JSON pointer).
    """
    return list(read_report(path, limits=limits).plans)


def read_report(path: str | os.PathLike[str], *, limits: Limits | None = None) -> ReadResult:
    """Read an OCDS file into plans, with what was not carried over.

    Args:
        path: the file (``.json``).
        limits: :class:`egovplan.files.Limits` (the defaults when ``None``).

    Raises:
        LoadError: as :func:`read`.
    """
    from egovplan.files import Limits, read_document

    limits = Limits() if limits is None else limits
    document = read_document(Path(path), "json", limits=limits)
    return _read_document(document, str(path), limits)


def reads_report(
    data: bytes | str, *, source: str = "<text>", limits: Limits | None = None
) -> ReadResult:
    """:func:`read_report` of the text (or bytes) of an OCDS file."""
    from egovplan.files import Limits, read_document

    limits = Limits() if limits is None else limits
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        document = read_document(raw, "json", limits=limits)
    except LoadError as error:
        raise LoadError.from_problems(source, error.problems) from None
    return _read_document(document, source, limits)


def _plain(value: Any) -> Any:
    """``value`` with its floats (:class:`~egovplan.serialization.FloatText`) as decimals."""
    from egovplan.serialization import FloatText

    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, FloatText):
        try:
            return Decimal(value.text)
        except InvalidOperation:  # NaN, Infinity: kept as their text
            return value.text
    return value


def _refuse(source: str, path: _Path, message: str) -> LoadError:
    return LoadError.from_problems(source, [Problem(_pointer(path) or "/", message)])


def _date_of(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


@in_own_context
def _read_document(document: Any, source: str, limits: Limits) -> ReadResult:
    document = _plain(document)
    if not isinstance(document, dict):
        raise _refuse(source, (), "is not an OCDS release package, record package or release")
    releases: list[tuple[_Path, dict[str, Any]]] = []
    not_carried: list[NotCarried] = []
    package: dict[str, Any] = {}
    if "releases" in document or "records" in document:
        key = "releases" if "releases" in document else "records"
        items = document[key]
        if not isinstance(items, list):
            raise _refuse(source, (key,), "is not a list")
        for name, value in document.items():
            if name not in ("releases", "records"):
                package[name] = value
                not_carried.append(_entry("", (name,), value, "the package's own field"))
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise _refuse(source, (key, index), "is not an object")
            if key == "releases":
                releases.append(((key, index), item))
            else:
                releases.append(_release_of_record(source, (key, index), item, not_carried))
    elif "ocid" in document:
        releases.append(((), document))
    else:
        raise _refuse(
            source,
            (),
            "is not an OCDS release package, record package or release (no"
            " 'releases', 'records' or 'ocid')",
        )
    latest: dict[str, tuple[_Path, dict[str, Any]]] = {}
    for path, release in releases:
        ocid = release.get("ocid")
        if not isinstance(ocid, str) or not ocid.strip():
            raise _refuse(source, (*path, "ocid"), "the release has no ocid")
        if ocid != ocid.strip():
            raise _refuse(source, (*path, "ocid"), f"{ocid!r} has spaces around it")
        before = latest.get(ocid)
        if before is not None and str(before[1].get("date", "")) > str(release.get("date", "")):
            release, path, before = before[1], before[0], (path, release)
        if before is not None:
            not_carried.append(
                _entry(ocid, before[0], None, f"an earlier release of {ocid}, superseded")
            )
        latest[ocid] = (path, release)
    plans: list[Plan] = []
    kept: dict[str, Kept] = {}
    for path, release in latest.values():
        reader = _ReleaseReader(release, path, limits.max_digits)
        try:
            plan = reader.plan()
        except EgovplanError as error:
            raise _refuse(source, path, f"cannot be held by a plan: {error}") from None
        plans.append(plan)
        not_carried.extend(reader.leftovers())
        kept[plan.id] = reader.kept(package)
    return ReadResult(plans=tuple(plans), not_carried=tuple(not_carried), kept=kept)


def _release_of_record(
    source: str, path: _Path, record: dict[str, Any], not_carried: list[NotCarried]
) -> tuple[_Path, dict[str, Any]]:
    """A record's compiled release, else its latest embedded release (the rest reported)."""
    ocid = str(record.get("ocid", ""))
    compiled = record.get("compiledRelease")
    if isinstance(compiled, dict):
        chosen: _Path = (*path, "compiledRelease")
        release = compiled
    else:
        full = [
            (index, item)
            for index, item in enumerate(record.get("releases") or [])
            if isinstance(item, dict) and "ocid" in item
        ]
        if not full:
            raise _refuse(source, path, "the record has no compiledRelease and no full release")
        index, release = max(full, key=lambda pair: str(pair[1].get("date", "")))
        chosen = (*path, "releases", index)
    for name, value in record.items():
        if (*path, name) != chosen[: len(path) + 1] and name != "ocid":
            not_carried.append(_entry(ocid, (*path, name), value, "part of the record"))
    return chosen, release


def _entry(plan: str, path: _Path, value: Any, reason: str = _NO_HOME) -> NotCarried:
    shown: str | None = None
    if isinstance(value, str | int | Decimal) and not isinstance(value, bool):
        text = str(value)
        shown = text if len(text) <= 60 else text[:57] + "..."
    return NotCarried(plan=plan, path=_pointer(path), value=shown, reason=reason)


class _ReleaseReader:
    """Maps one release onto a plan, noting every part it carries."""

    def __init__(self, release: dict[str, Any], path: _Path, max_digits: int) -> None:
        self.release = release
        self.path = path
        self.max_digits = max_digits
        #: The places carried over (relative to the release).
        self.carried: set[_Path] = set()
        #: Why a place that was looked at is not carried.
        self.reasons: dict[_Path, str] = {}
        self.ocid = str(release["ocid"])
        language = release.get("language")
        self.language = self.plan_language(language)
        if language == self.language:
            self.carried.add(("language",))
        self.title_at: tuple[str, ...] | None = None
        self.flow_places: dict[str, tuple[Any, Any, str]] = {}
        self.buyer_identifier: str | None = None

    @staticmethod
    def plan_language(tag: Any) -> str:
        from egovplan.document import PlanMetadata

        if isinstance(tag, str):
            try:
                PlanMetadata(kind="plan", title="-", language=tag)
            except EgovplanError:
                pass
            else:
                return tag
        return str(_data()["default_language"])

    def get(self, *path: str | int) -> Any:
        value: Any = self.release
        for part in path:
            if isinstance(part, int):
                if not isinstance(value, list) or part >= len(value):
                    return None
            elif not isinstance(value, dict):
                return None
            value = value[part] if isinstance(part, int) else value.get(part)
        return value

    def money(self, path: _Path) -> Money | None:
        """The OCDS Value at ``path`` as Money (its amount and currency carried), or None."""
        from egovplan.money import Money

        value = self.get(*path)
        if not isinstance(value, dict):
            return None
        amount, currency = value.get("amount"), value.get("currency")
        if isinstance(amount, bool) or not isinstance(amount, int | Decimal):
            self.reasons[path] = "a value without a number as its amount"
            return None
        if not isinstance(currency, str):
            self.reasons[path] = "a value without a currency"
            return None
        number = Decimal(amount)
        digits = max(number.adjusted() + 1, 1) - min(int(number.as_tuple().exponent), 0)
        if digits > self.max_digits:
            self.reasons[path] = f"an amount of {digits} digits (Limits.max_digits)"
            return None
        try:
            money = Money(number, currency)
        except EgovplanError as error:
            self.reasons[path] = str(error)
            return None
        self.carried.update({(*path, "amount"), (*path, "currency")})
        return money

    def text(self, *path: str | int) -> str | None:
        value = self.get(*path)
        if isinstance(value, str) and value.strip():
            self.carried.add(path)
            return value.strip()
        return None

    # -- the plan

    def plan(self) -> Plan:
        from egovplan.document import PlanMetadata
        from egovplan.funding import Funding
        from egovplan.task import Task

        self.carried.add(("ocid",))
        data = _data()
        title = None
        for place in (("planning", "budget", "project"), ("tender", "title")):
            title = self.text(*place)
            if title is not None:
                self.title_at = place
                break
        if title is None:
            title = self.text("planning", "budget", "description")
            self.title_at = ("planning", "budget", "description") if title else None
        agencies, assignments, buyer_name = self.parties()
        sources, lines, total = self.budget({agency.id: agency for agency in agencies})
        flows = self.transactions(
            {source.id for source in sources}, {a.id: a.names.get(self.language) for a in agencies}
        )
        tasks: tuple[Task, ...] = ()
        if assignments:
            tasks = (
                Task(
                    id=data["process_task"],
                    title=title or self.ocid,
                    assignments=tuple(assignments),
                ),
            )
        return Plan(
            id=self.ocid,
            metadata=PlanMetadata(
                kind=data["plan_kind"],
                title=title or self.ocid,
                issuing_body=buyer_name,
                language=self.language,
            ),
            period=self.period(lines, flows),
            agencies=tuple(agencies),
            tasks=tasks,
            funding=Funding(total=total, sources=tuple(sources), lines=tuple(lines)),
            flows=tuple(flows),
        )

    def period(self, lines: list[BudgetLine], flows: list[Any]) -> Period:
        """The years the budget lines and the flows cover, else the release's year."""
        from egovplan.period import Period

        years = [line.year for line in lines if line.year is not None]
        years += [flow.date.year for flow in flows if flow.date is not None]
        for line in lines:
            if line.period is not None:
                years += [line.period.first_year, line.period.last_year]
        if not years:
            day = _date_of(self.release.get("date"))
            if day is None:
                raise EgovplanError("it has neither a budget period nor a date")
            years = [day.year]
        return Period.years(min(years), max(years))

    def parties(self) -> tuple[list[Any], list[Any], str | None]:
        from egovplan.agency import Agency
        from egovplan.catalog import Catalogues
        from egovplan.labels import Labels
        from egovplan.task import Assignment

        roles = Catalogues.default().roles
        by_ocds: dict[str, str] = {}
        for code in roles.codes:
            for ocds_role in roles[code].get("ocds_roles") or ():
                by_ocds.setdefault(ocds_role, code)
        agencies: dict[str, Agency] = {}
        assignments: list[Assignment] = []
        parties = self.get("parties")
        for index, party in enumerate(parties if isinstance(parties, list) else []):
            if not isinstance(party, dict):
                continue
            party_id, name = party.get("id"), party.get("name")
            if isinstance(party_id, bool) or not isinstance(party_id, str | int):
                continue
            agency_id = str(party_id).strip()
            if not agency_id or agency_id in agencies or str(party_id) != agency_id:
                continue
            names = Labels({self.language: name.strip()}) if isinstance(name, str) else Labels()
            agencies[agency_id] = Agency(id=agency_id, names=names)
            self.carried.add(("parties", index, "id"))
            if isinstance(name, str) and name == name.strip() and name:
                self.carried.add(("parties", index, "name"))
            party_roles = party.get("roles")
            for number, role in enumerate(party_roles if isinstance(party_roles, list) else []):
                found = by_ocds.get(role) if isinstance(role, str) else None
                if found is None:
                    self.reasons[("parties", index, "roles", number)] = "no egovplan role"
                    continue
                code = found
                assignment = Assignment(agency=agency_id, role=code)
                if assignment not in assignments:
                    assignments.append(assignment)
                if roles[code].get("ocds_roles")[0] == role:
                    self.carried.add(("parties", index, "roles", number))
                else:
                    self.reasons[("parties", index, "roles", number)] = (
                        f"read as the role {code}, which is written as the role"
                        f" {roles[code].get('ocds_roles')[0]}"
                    )
        buyer = self.get("buyer")
        buyer_name: str | None = None
        if isinstance(buyer, dict):
            name = buyer.get("name")
            buyer_name = name.strip() if isinstance(name, str) and name.strip() else None
            ident = buyer.get("id")
            from_identifier = ident is None
            if from_identifier:
                ident = self.get("buyer", "identifier", "id")
            if isinstance(ident, str | int) and not isinstance(ident, bool) and str(ident).strip():
                agency_id = str(ident).strip()
                if agency_id not in agencies and not from_identifier:
                    pass  # a reference to no party: kept as it is
                elif agency_id not in agencies:  # OCDS 1.0: the buyer is not among parties
                    labels = Labels({self.language: buyer_name} if buyer_name else {})
                    agencies[agency_id] = Agency(id=agency_id, names=labels)
                    assignments.insert(0, Assignment(agency=agency_id, role="lead"))
                    self.carried.add(("buyer", "identifier", "id"))
                    self.buyer_identifier = agency_id
                    if buyer_name == name:
                        self.carried.add(("buyer", "name"))
                elif Assignment(agency=agency_id, role="lead") in assignments:
                    self.carried.add(("buyer", "id"))
                    if buyer_name == name and agencies[agency_id].names.get(self.language) == name:
                        self.carried.add(("buyer", "name"))
        if buyer_name is None:
            lead = next((a.agency for a in assignments if a.role == "lead"), None)
            if lead is not None:
                buyer_name = agencies[lead].names.get(self.language)
        return list(agencies.values()), assignments, buyer_name

    def budget(self, agencies: Mapping[str, Any]) -> tuple[list[Any], list[Any], Money | None]:
        from egovplan.funding import BudgetLine, FundingSource
        from egovplan.labels import Labels

        data = _data()
        total = self.money(("planning", "budget", "amount"))
        sources: dict[str, FundingSource] = {}
        lines: list[BudgetLine] = []

        def source_of(party: Any, path: _Path) -> str:
            if isinstance(party, dict):
                party_id = party.get("id")
                if isinstance(party_id, str | int) and not isinstance(party_id, bool):
                    ident = str(party_id)
                    if ident and ident == ident.strip():
                        name = party.get("name")
                        agency = agencies.get(ident)
                        names = agency.names if agency is not None else Labels()
                        if not names and isinstance(name, str) and name.strip():
                            names = Labels({self.language: name.strip()})
                        sources.setdefault(ident, FundingSource(id=ident, names=names))
                        self.carried.add((*path, "id"))
                        if isinstance(name, str) and names.get(self.language) == name:
                            self.carried.add((*path, "name"))
                        return ident
            default = data["budget_source"]
            sources.setdefault(
                default, FundingSource(id=default, names=Labels(en=data["budget_source_name"]))
            )
            return str(default)

        breakdown = self.get("planning", "budget", "budgetBreakdown")
        seen: set[str] = set()
        for index, entry in enumerate(breakdown if isinstance(breakdown, list) else []):
            path: _Path = ("planning", "budget", "budgetBreakdown", index)
            if not isinstance(entry, dict):
                continue
            entry_id = entry.get("id")
            if isinstance(entry_id, bool) or not isinstance(entry_id, str | int):
                continue
            line_id = str(entry_id)
            if not line_id or line_id != line_id.strip() or line_id in seen:
                self.reasons[path] = "an entry without an id of its own"
                continue
            amount = self.money((*path, "amount"))
            if amount is None:
                continue
            seen.add(line_id)
            year, period = self.span((*path, "period"))
            lines.append(
                BudgetLine(
                    id=line_id,
                    source=source_of(entry.get("sourceParty"), (*path, "sourceParty")),
                    year=year,
                    period=period,
                    amount=amount,
                )
            )
            self.carried.add((*path, "id"))
        counts: dict[str, int] = {}
        for line in lines:
            counts[line.source] = counts.get(line.source, 0) + 1
        lines = self.source_amounts(lines, sources, counts, breakdown)
        if not lines and total is not None and not any(s.amount for s in sources.values()):
            lines.append(
                BudgetLine(id=data["whole_budget_line"], source=source_of(None, ()), amount=total)
            )
        return list(sources.values()), lines, total

    def source_amounts(
        self,
        lines: list[BudgetLine],
        sources: dict[str, Any],
        counts: Mapping[str, int],
        breakdown: Any,
    ) -> list[BudgetLine]:
        """``lines`` without those that stand for a source's amount, made its amount.

        Such a line is an entry without a period whose id is its source's, the source's
        only one: :func:`write` writes a source's amount so when it has no lines.
        """
        periods = (
            {
                str(entry.get("id")): "period" in entry
                for entry in breakdown
                if isinstance(entry, dict)
            }
            if isinstance(breakdown, list)
            else {}
        )
        kept_lines = []
        for line in lines:
            source = sources.get(line.source)
            if (
                line.id == line.source
                and not periods.get(line.id, True)
                and counts[line.source] == 1
                and source is not None
                and source.amount is None
            ):
                sources[line.source] = attrs.evolve(source, amount=line.amount)
            else:
                kept_lines.append(line)
        return kept_lines

    def span(self, path: _Path) -> tuple[int | None, Period | None]:
        """A breakdown entry's period as a year or quarters (carried), else nothing."""
        from egovplan.period import MAX_YEAR, MIN_YEAR, Period, Quarter

        start = _date_of(self.get(*path, "startDate"))
        end = _date_of(self.get(*path, "endDate"))
        if start is None or end is None or start > end:
            if self.get(*path) is not None:
                self.reasons[path] = "not a span from a start date to an end date"
            return None, None
        if not (MIN_YEAR <= start.year <= MAX_YEAR and MIN_YEAR <= end.year <= MAX_YEAR):
            self.reasons[path] = f"a date outside the years {MIN_YEAR}..{MAX_YEAR}"
            return None, None
        first, last = Quarter.containing(start), Quarter.containing(end)
        if start != first.first_day or end != last.last_day:
            self.reasons[path] = "a span that is not whole quarters or years"
            return None, None
        written = self.get(*path)
        assert isinstance(written, dict)
        if set(written) - {"startDate", "endDate"}:
            return None, None  # durationInDays, maxExtentDate: the span is kept whole
        self.carried.update({(*path, "startDate"), (*path, "endDate")})
        if start.year == end.year and first.number == 1 and last.number == 4:
            return start.year, None
        return None, Period.quarters(first, last)

    def transactions(self, sources: set[str], agencies: Mapping[str, str | None]) -> list[Any]:
        from egovplan.flows import Flow

        kind = _data()["transaction_flow_kind"]
        flows: list[Flow] = []
        contracts = self.get("contracts")
        for c, contract in enumerate(contracts if isinstance(contracts, list) else []):
            transactions = self.get("contracts", c, "implementation", "transactions")
            if not isinstance(transactions, list) or not isinstance(contract, dict):
                continue
            contract_id = contract.get("id")
            if isinstance(contract_id, bool) or not isinstance(contract_id, str | int):
                continue
            for t, transaction in enumerate(transactions):
                path: _Path = ("contracts", c, "implementation", "transactions", t)
                if not isinstance(transaction, dict):
                    continue
                tx_id = transaction.get("id")
                if isinstance(tx_id, bool) or not isinstance(tx_id, str | int):
                    continue
                flow_id = str(tx_id)
                if not flow_id.strip() or flow_id != flow_id.strip():
                    continue
                if flow_id in self.flow_places:
                    flow_id = f"{contract_id}/{tx_id}"
                    if flow_id in self.flow_places:
                        continue
                place = "value" if "value" in transaction else "amount"
                amount = self.money((*path, place))
                if amount is None:
                    continue
                day = _date_of(transaction.get("date"))
                if day is not None and transaction["date"] in (
                    day.isoformat(),
                    f"{day.isoformat()}T00:00:00Z",
                ):
                    self.carried.add((*path, "date"))
                payer = self.get(*path, "payer", "id")
                payee = self.get(*path, "payee", "id")
                source = str(payer) if payer is not None and str(payer) in sources else None
                agency = str(payee) if payee is not None and str(payee) in agencies else None
                for key, ident in (("payer", source), ("payee", agency)):
                    if ident is not None:
                        self.carried.add((*path, key, "id"))
                        name = self.get(*path, key, "name")
                        if name is not None and name == agencies.get(ident):
                            self.carried.add((*path, key, "name"))
                flows.append(
                    Flow(
                        id=flow_id, kind=kind, source=source, date=day, agency=agency, amount=amount
                    )
                )
                self.flow_places[flow_id] = (contract_id, tx_id, place)
                self.carried.add((*path, "id"))
        return flows

    # -- what is left

    def leftovers(self) -> Iterator[NotCarried]:
        """Every part of the release not carried, as high up as nothing in it is carried."""
        prefixes = {path[:n] for path in self.carried for n in range(len(path) + 1)}

        def walk(value: Any, path: _Path) -> Iterator[NotCarried]:
            if path in self.carried:
                return
            if path in prefixes and isinstance(value, dict | list):
                items = value.items() if isinstance(value, dict) else enumerate(value)
                for key, item in items:
                    yield from walk(item, (*path, key))
                return
            reason = self.reasons.get(path, _NO_HOME)
            if len(path) == 1 and path[0] in _RELEASE_OWN:
                reason = "the release's own field"
            if isinstance(value, dict) and set(value) == {"id"} and (*path, "id") in prefixes:
                return
            yield _entry(self.ocid, (*self.path, *path), value, reason)

        yield from walk(self.release, ())

    def kept(self, package: Mapping[str, Any]) -> Kept:
        def prune(value: Any, path: _Path) -> Any:
            if isinstance(value, dict):
                out = {}
                for key, item in value.items():
                    place = (*path, key)
                    in_list = bool(path) and isinstance(path[-1], int)
                    if place in self.carried and not (key == "id" and in_list):
                        continue
                    pruned = prune(item, place)
                    if pruned is not _GONE:
                        out[key] = pruned
                if not out or (set(out) == {"id"} and isinstance(path[-1:] or [None], list)):
                    return _GONE
                if set(out) == {"id"} and path and isinstance(path[-1], int):
                    return _GONE
                return out
            if isinstance(value, list):
                items = [prune(item, (*path, index)) for index, item in enumerate(value)]
                if any(isinstance(item, dict | list) for item in value):
                    items = [item for item in items if item is not _GONE]
                else:
                    items = [
                        item
                        for index, item in enumerate(value)
                        if (*path, index) not in self.carried
                    ]
                return items if items or not value else _GONE
            return value

        release = prune(self.release, ())
        return Kept(
            release={} if release is _GONE else release,
            package=dict(package),
            title_at=self.title_at,
            flows=dict(self.flow_places),
            buyer_identifier=self.buyer_identifier,
        )


_GONE: Final = object()
#: The fields of a release about the release itself, which write() makes up if need be.
_RELEASE_OWN: Final = frozenset({"id", "date", "tag", "initiationType"})


# -- writing ------------------------------------------------------------------------------


def _merge(kept: Any, written: Any) -> Any:
    """``written`` over ``kept``, as OCDS merges releases.

    Objects by key, lists of objects by ``id``, lists of codes as a union; else what is
    written wins.
    """
    if isinstance(kept, dict) and isinstance(written, dict):
        out = {
            key: _merge(kept[key], value) if key in kept else value
            for key, value in written.items()
        }
        out.update({key: value for key, value in kept.items() if key not in written})
        return out
    if isinstance(kept, list) and isinstance(written, list):
        if all(isinstance(item, dict) and "id" in item for item in kept + written):
            by_id = {str(item["id"]): item for item in kept}
            out_list = [
                _merge(by_id.pop(str(item["id"])), item) if str(item["id"]) in by_id else item
                for item in written
            ]
            return out_list + list(by_id.values())
        if not any(isinstance(item, dict | list) for item in kept + written):
            return written + [item for item in kept if item not in written]
    return written


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _value(money: Money) -> dict[str, Any]:
    return {"amount": money.amount, "currency": money.currency}


class _ReleaseWriter:
    def __init__(self, plan: Plan, kept: Kept | None) -> None:
        self.plan = plan
        self.kept = Kept() if kept is None else kept

    def release(self) -> dict[str, Any]:
        from egovplan.catalog import Catalogues

        plan, data = self.plan, _data()
        written: dict[str, Any] = {"ocid": plan.id, "language": plan.metadata.language}
        title_at = self.kept.title_at or ("planning", "budget", "project")
        if plan.metadata.title != plan.id or self.kept.title_at is not None:
            place = written
            for key in title_at[:-1]:
                place = place.setdefault(key, {})
            title = plan.metadata.title
            language = plan.metadata.language
            place[title_at[-1]] = localized(title, language)
            if isinstance(title, Labels):  # OCDS writes other languages as `field_lang`
                for locale, text in title.items():
                    if locale != language:
                        place[f"{title_at[-1]}_{locale}"] = text
        roles = Catalogues.default().roles
        kept_parties = {
            str(party.get("id")): party
            for party in _list(self.kept.release.get("parties"))
            if isinstance(party, dict)
        }
        parties = []
        lead: dict[str, Any] | None = None
        agency_roles: dict[str, list[str]] = {}
        for task in plan.tasks:
            for assignment in task.assignments:
                kind = roles.get(assignment.role)
                names = tuple(kind.get("ocds_roles") or ()) if kind is not None else ()
                if not names:
                    continue
                kept_roles = _list(kept_parties.get(assignment.agency, {}).get("roles"))
                if any(name in kept_roles for name in names):
                    continue  # already there, as payer for fund
                found = agency_roles.setdefault(assignment.agency, [])
                if names[0] not in found:
                    found.append(names[0])
        for agency in plan.agencies:
            party: dict[str, Any] = {"id": agency.id}
            name = agency.names.get(plan.metadata.language) or next(
                iter(agency.names.values()), None
            )
            if name:
                party["name"] = name
            party_roles = agency_roles.get(agency.id, [])
            if party_roles:
                party["roles"] = party_roles
            parties.append(party)
            if "buyer" in party_roles and lead is None:
                lead = {"id": agency.id, **({"name": name} if name else {})}
                if agency.id == self.kept.buyer_identifier:
                    lead = {"identifier": {"id": agency.id}, **({"name": name} if name else {})}
                    if party_roles == ["buyer"] and agency.id not in kept_parties:
                        parties.pop()
        if parties:
            written["parties"] = parties
        if lead is not None:
            written["buyer"] = lead
        budget = self.budget({party["id"]: party.get("name") for party in parties})
        if budget:
            written.setdefault("planning", {}).setdefault("budget", {}).update(budget)
        contracts = self.contracts({party["id"]: party.get("name") for party in parties})
        if contracts:
            written["contracts"] = contracts
        release = _merge(dict(self.kept.release), written)
        defaults = {
            "id": f"{plan.id}-{data['tag'][0]}",
            "date": self.kept.package.get("publishedDate") or _now(),
            "tag": list(data["tag"]),
            "initiationType": data["initiation_type"],
        }
        for key, value in defaults.items():
            release.setdefault(key, value)
        order = ["ocid", "id", "date", "tag", "initiationType"]
        return {
            **{key: release[key] for key in order},
            **{key: value for key, value in release.items() if key not in order},
        }

    def budget(self, names: Mapping[str, Any]) -> dict[str, Any]:
        funding, data = self.plan.funding, _data()
        budget: dict[str, Any] = {}
        lines = funding.lines
        total = funding.total
        if total is not None:
            budget["amount"] = _value(total)
        whole = (
            len(lines) == 1
            and lines[0].id == data["whole_budget_line"]
            and lines[0].source == data["budget_source"]
            and lines[0].year is None
            and lines[0].period is None
            and funding.total == lines[0].amount
        )
        alone = [
            source
            for source in funding.sources
            if source.amount is not None and all(line.source != source.id for line in lines)
        ]
        if (lines and not whole) or alone:
            breakdown = []
            for source in alone:
                assert source.amount is not None
                name = names.get(source.id) or source.names.get(self.plan.metadata.language)
                name = name or next(iter(source.names.values()), None)
                breakdown.append(
                    {
                        "id": source.id,
                        "amount": _value(source.amount),
                        "sourceParty": {"id": source.id, **({"name": name} if name else {})},
                    }
                )
            for line in () if whole else lines:
                entry: dict[str, Any] = {"id": line.id, "amount": _value(line.amount)}
                span = _span(line)
                if span is not None:
                    entry["period"] = span
                if line.source != data["budget_source"]:
                    entry["sourceParty"] = {"id": line.source}
                    name = names.get(line.source)
                    if name is None:
                        found = next((s for s in funding.sources if s.id == line.source), None)
                        if found is not None:
                            name = found.names.get(self.plan.metadata.language) or next(
                                iter(found.names.values()), None
                            )
                    if name:
                        entry["sourceParty"]["name"] = name
                breakdown.append(entry)
            budget["budgetBreakdown"] = breakdown
        return budget

    def kept_transaction(self, contract_id: Any, tx_id: Any) -> dict[str, Any]:
        """The parts of a transaction read before that its flow does not hold."""
        for contract in _list(self.kept.release.get("contracts")):
            if isinstance(contract, dict) and contract.get("id") == contract_id:
                implementation = contract.get("implementation")
                if not isinstance(implementation, dict):
                    return {}
                for item in _list(implementation.get("transactions")):
                    if isinstance(item, dict) and item.get("id") == tx_id:
                        return item
        return {}

    def contracts(self, names: Mapping[str, Any]) -> list[dict[str, Any]]:
        contracts: dict[Any, list[dict[str, Any]]] = {}
        for flow in self.plan.flows:
            contract_id, tx_id, place = self.kept.flows.get(
                flow.id, (_data()["flows_contract"], flow.id, "value")
            )
            transaction: dict[str, Any] = {"id": tx_id}
            kept_date = self.kept_transaction(contract_id, tx_id).get("date")
            if flow.date is not None and str(kept_date)[:10] != flow.date.isoformat():
                transaction["date"] = f"{flow.date.isoformat()}T00:00:00Z"
            transaction[place] = _value(flow.amount)
            for key, ident in (("payer", flow.source), ("payee", flow.agency)):
                if ident is not None:
                    transaction[key] = {"id": ident}
                    if names.get(ident):
                        transaction[key]["name"] = names[ident]
            contracts.setdefault(contract_id, []).append(transaction)
        return [
            {"id": cid, "implementation": {"transactions": items}}
            for cid, items in contracts.items()
        ]


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _span(line: BudgetLine) -> dict[str, str] | None:
    if line.year is not None:
        first, last = dt.date(line.year, 1, 1), dt.date(line.year, 12, 31)
    elif line.period is not None:
        first, last = line.period.first_day, line.period.last_day
    else:
        return None
    return {
        "startDate": f"{first.isoformat()}T00:00:00Z",
        "endDate": f"{last.isoformat()}T23:59:59Z",
    }


def _json(value: Any, indent: str = "") -> str:
    """``value`` as JSON with two-space indents; decimals exactly as written."""
    import json

    if isinstance(value, Decimal):
        text = str(value)
        return format(value, "f") if "E" in text or "e" in text else text
    if isinstance(value, dict) and value:
        inner = indent + "  "
        items = (
            f"{inner}{json.dumps(k, ensure_ascii=False)}: {_json(v, inner)}"
            for k, v in value.items()
        )
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and value:
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + _json(item, inner) for item in value) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False)


@in_own_context
def dumps(plans: Plan | Iterable[Plan], *, kept: Mapping[str, Kept] | None = None) -> str:
    """The text of an OCDS 1.1 release package holding ``plans``, one release each.

    Args:
        plans: a plan or plans.
        kept: by plan id, the parts of releases read before that the plans do not hold
            (:attr:`ReadResult.kept`): they are merged back.

    Raises:
        OcdsWriteError: two plans have the same id (an OCDS ``ocid`` names one process).
    """
    items = [plans] if isinstance(plans, Plan) else list(plans)
    kept = kept or {}
    ids = [plan.id for plan in items]
    twice = sorted({ident for ident in ids if ids.count(ident) > 1})
    if twice:
        raise OcdsWriteError(f"two plans have the id {twice[0]!r}: an ocid names one process")
    data = _data()
    package: dict[str, Any] = {}
    for plan in items:
        found = kept.get(plan.id)
        if found is not None and found.package:
            package = dict(found.package)
            break
    releases = [_ReleaseWriter(plan, kept.get(plan.id)).release() for plan in items]
    published = package.get("publishedDate") or _now()
    publisher = package.get("publisher") or {
        "name": next(
            (p.metadata.issuing_body for p in items if p.metadata.issuing_body), "egovplan"
        )
    }
    written = {
        **package,
        "version": package.get("version", data["version_written"]),
        "publishedDate": published,
        "publisher": publisher,
        "extensions": _merge(package.get("extensions", []), list(data["extensions"])),
        "releases": releases,
    }
    written.setdefault("uri", f"urn:egovplan:{ids[0] if ids else 'empty'}")
    return _json(written) + "\n"


def write(
    plans: Plan | Iterable[Plan],
    path: str | os.PathLike[str],
    *,
    kept: Mapping[str, Kept] | None = None,
) -> None:
    """Write ``plans`` to ``path`` as an OCDS 1.1 release package (atomically).

    See :func:`dumps` for the arguments and errors; ``OSError`` when the file cannot be
    written (it is then left as it was).
    """
    from egovplan.files import write_text

    write_text(path, dumps(plans, kept=kept))


def mapping_table() -> list[tuple[str, str, str]]:
    """The field ↔ field table: ``(OCDS field, egovplan field, how)`` rows.

    >>> mapping_table()[0][:2]
    ('ocid', 'Plan.id')
    """
    return [(row["ocds"], row["egovplan"], row["note"]) for row in _data()["mapping"]]
