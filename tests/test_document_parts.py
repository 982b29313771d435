"""The documents part of a plan: issuing decision, submission, entry into force, annexes,
citations in the body, signature blocks, and citations of other jurisdictions.

Citation grammars of other jurisdictions are data (``data/citations/``); for every
reference they can write, ``parse(format(ref)) == ref`` in every language they write.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovplan import files, testing
from egovplan._citations import grammars
from egovplan.document import Citation, DocumentRef, EntryIntoForce, PlanMetadata, Signatory
from egovplan.errors import FieldTypeError, FieldValueError, ParseError
from egovplan.files import FORMATS, dumps, loads
from egovplan.plan import Annex, Plan
from egovplan.serialization import from_dict, to_dict

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- the submission a decision answers ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "issuer", "date", "body"),
    [
        (
            "Xét đề nghị của Sở Thông tin và Truyền thông tại Tờ trình số 06/TTr-STTTT"
            " ngày 29/10/2010",
            "06",
            "STTTT",
            dt.date(2010, 10, 29),
            "Sở Thông tin và Truyền thông",
        ),
        (
            "Theo đề nghị của Ban Chỉ đạo Công nghệ thông tin tỉnh tại Tờ trình số:"
            " 125/TTr-BCĐCNTT ngày 17/05/2012,",
            "125",
            "BCĐCNTT",
            dt.date(2012, 5, 17),
            "Ban Chỉ đạo Công nghệ thông tin tỉnh",
        ),
        (
            "Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 12/TTr-SNV ngày 3 tháng 4"
            " năm 2019.",
            "12",
            "SNV",
            dt.date(2019, 4, 3),
            "Giám đốc Sở Nội vụ",
        ),
    ],
)
def test_the_submission_sentence_is_read_whole(
    text: str, number: str, issuer: str, date: dt.date, body: str
) -> None:
    ref = DocumentRef.parse(text)
    assert (ref.kind, ref.number, ref.issuer, ref.date, ref.issuing_body) == (
        "submission",
        number,
        issuer,
        date,
        body,
    )


def test_a_submission_sentence_without_the_submission_is_refused() -> None:
    with pytest.raises(ParseError, match="expected the submission after the proposing body"):
        DocumentRef.parse("Xét đề nghị của Sở Thông tin và Truyền thông")


# -- citations of other jurisdictions --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "D.Lgs. 7 marzo 2005, n. 82",
            "it",
            ("legislative_decree", "D.Lgs.", "82", 2005, dt.date(2005, 3, 7), None),
        ),
        (
            "Legge 17 dicembre 2012, n. 221",
            "it",
            ("law", "L.", "221", 2012, dt.date(2012, 12, 17), None),
        ),
        (
            "D.L. 18 ottobre 2012, n. 179, recante ulteriori misure urgenti",
            "it",
            ("decree_law", "D.L.", "179", 2012, dt.date(2012, 10, 18), "ulteriori misure urgenti"),
        ),
        (
            "visto il D.P.R. n. 445/2000;",
            "it",
            ("presidential_decree", "D.P.R.", "445", 2000, None, None),
        ),
        (
            "Decreto-legge 1° marzo 2021, n. 22",
            "it",
            ("decree_law", "D.L.", "22", 2021, dt.date(2021, 3, 1), None),
        ),
        ("Regulation (EU) 2021/241", "en", ("eu_regulation", "EU", "241", 2021, None, None)),
        ("Regolamento (UE) 2021/241", "it", ("eu_regulation", "EU", "241", 2021, None, None)),
        (
            "Regulation (EU) 2016/679 of the European Parliament and of the Council",
            "en",
            (
                "eu_regulation",
                "EU",
                "679",
                2016,
                None,
                "of the European Parliament and of the Council",
            ),
        ),
    ],
)
def test_citations_of_other_jurisdictions(
    text: str, language: str, expected: tuple[Any, ...]
) -> None:
    ref = DocumentRef.parse(text, language=language)
    assert (ref.kind, ref.issuer, ref.number, ref.year, ref.date, ref.title) == expected
    assert ref.jurisdiction in grammars()
    assert DocumentRef.parse(str(ref), jurisdiction=ref.jurisdiction) == ref.bare


def test_vietnamese_citations_are_read_as_before_whatever_the_language() -> None:
    text = "Quyết định số 698/QĐ-TTg ngày 01/06/2009 của Thủ tướng Chính phủ"
    assert DocumentRef.parse(text, language="en") == DocumentRef.parse(text)
    assert DocumentRef.parse(text, language="vi") == DocumentRef.parse(text)
    assert DocumentRef.parse(text).jurisdiction is None


def test_a_citation_no_grammar_reads_is_refused_naming_an_example() -> None:
    with pytest.raises(ParseError, match=r"grammars 'it'.*such as 'Legge 7 marzo 2005, n\. 82'"):
        DocumentRef.parse("Decreto 2005", jurisdiction="it")
    with pytest.raises(ParseError, match="day is out of range"):
        DocumentRef.parse("D.Lgs. 31 febbraio 2005, n. 82", language="it")
    with pytest.raises(FieldTypeError, match="no citation grammar for jurisdiction 'xx'"):
        DocumentRef.parse("D.Lgs. 7 marzo 2005, n. 82", jurisdiction="xx")


def test_parse_citations_takes_the_language() -> None:
    refs = DocumentRef.parse_citations(
        "Visto il D.Lgs. 7 marzo 2005, n. 82; Regolamento (UE) 2021/241;", language="it"
    )
    assert [str(ref) for ref in refs] == ["D.Lgs. 7 marzo 2005, n. 82", "Regulation (EU) 2021/241"]


def _kinds_of(jurisdiction: str) -> list[str]:
    return sorted(grammars()[jurisdiction].kinds)


@st.composite
def foreign_refs(draw: Any) -> DocumentRef:
    """References a grammar can write: a kind of it, a number, a date or a year."""
    jurisdiction = draw(st.sampled_from(sorted(grammars())))
    grammar = grammars()[jurisdiction]
    kind = draw(st.sampled_from(_kinds_of(jurisdiction)))
    number = str(draw(st.integers(min_value=1, max_value=99999)))
    date = draw(
        st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))
    )
    if grammar.kinds[kind].issuer is not None:
        issuer = grammar.kinds[kind].issuer
    else:
        issuer = draw(st.sampled_from(sorted(grammar.issuers)))
        date = None  # EU acts are cited by year and number
    year = date.year if date is not None else draw(st.integers(min_value=1900, max_value=2200))
    title = draw(
        st.none()
        | st.text(st.sampled_from("abcdefghij àèéìòù"), min_size=1, max_size=20)
        .map(lambda t: " ".join(t.split()))  # citations are read with spaces collapsed
        .filter(lambda t: bool(t) and t.split()[0] not in {"recante", "concernente", "relativo"})
    )
    return DocumentRef(
        kind=kind,
        number=number,
        year=year,
        issuer=issuer,
        date=date,
        title=title,
        jurisdiction=jurisdiction,
    )


@SETTINGS
@given(foreign_refs(), st.sampled_from(["it", "en", "fr", "de"]))
def test_foreign_citations_round_trip(ref: DocumentRef, locale: str) -> None:
    assert DocumentRef.parse(ref.citation(locale), jurisdiction=ref.jurisdiction) == ref
    assert DocumentRef.parse(str(ref), jurisdiction=ref.jurisdiction) == ref.bare


def test_issuers_may_have_dots_and_round_trip_through_files() -> None:
    ref = DocumentRef(kind="legislative_decree", number="82", issuer="D.Lgs.", jurisdiction="it")
    assert str(ref) == "D.Lgs. n. 82"
    with pytest.raises(FieldValueError, match="is not an issuer code"):
        DocumentRef(kind="law", number="1", issuer=".L")
    assert from_dict(to_dict(ref), DocumentRef) == ref


# -- signature blocks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (
            "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Đặng Xuân Thanh",
            ("Đặng Xuân Thanh", "Phó Chủ tịch", "TM. Ủy ban nhân dân, KT. Chủ tịch"),
        ),
        (  # as the Lào Cai plan prints it: the body's name broken over two lines
            "TM. ỦY BAN NHÂN\nDÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nĐặng Xuân Thanh",
            ("Đặng Xuân Thanh", "Phó Chủ tịch", "TM. Ủy ban nhân dân, KT. Chủ tịch"),
        ),
        (
            "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n(Đã ký)\nNGUYỄN VĂN A\nNơi nhận:\n- Như trên;",
            ("Nguyễn Văn A", "Chủ tịch", "TM. Ủy ban nhân dân"),
        ),
        ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", (None, "Phó Giám đốc", "KT. Giám đốc")),
        ("Nguyễn Văn B", ("Nguyễn Văn B", None, None)),
    ],
)
def test_signature_blocks(block: str, expected: tuple[str | None, ...]) -> None:
    signatory = Signatory.parse(block)
    assert (signatory.name, signatory.position, signatory.capacity) == expected


def test_an_empty_signature_block_is_refused() -> None:
    with pytest.raises(ParseError, match="no line to read"):
        Signatory.parse("(Đã ký)\n\n")
    with pytest.raises(FieldTypeError):
        Signatory.parse(None)  # type: ignore[arg-type]


# -- entry into force ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days", "date"),
    [
        ("Quyết định này có hiệu lực kể từ ngày ký./.", 0, None),
        ("Quyết định này có hiệu lực thi hành kể từ ngày ký ban hành.", 0, None),
        ("Quyết định này có hiệu lực sau 10 ngày kể từ ngày ký.", 10, None),
        ("Quyết định này có hiệu lực từ ngày 01/01/2012.", None, dt.date(2012, 1, 1)),
        ("This Decision takes effect 15 days after signing.", 15, None),
        ("This Decision enters into force on the date of signing.", 0, None),
        ("This Decision enters into force on 1 July 2021.", None, dt.date(2021, 7, 1)),
    ],
)
def test_entry_into_force(text: str, days: int | None, date: dt.date | None) -> None:
    entry = EntryIntoForce.parse(text)
    assert (entry.days_after_signing, entry.date) == (days, date)
    assert entry.text is not None
    assert entry.text in text


def test_the_day_a_document_takes_effect() -> None:
    signed = dt.date(2012, 6, 11)
    assert EntryIntoForce(days_after_signing=10).effective(signed) == dt.date(2012, 6, 21)
    assert EntryIntoForce(days_after_signing=0).effective(signed) == signed
    assert EntryIntoForce(days_after_signing=10).effective(None) is None
    assert EntryIntoForce(date=dt.date(2013, 1, 1)).effective(signed) == dt.date(2013, 1, 1)
    assert EntryIntoForce(days_after_signing=10**9).effective(signed) is None
    with pytest.raises(ParseError, match="as an entry into force"):
        EntryIntoForce.parse("Quyết định này thay thế Quyết định số 12/QĐ-UBND")
    with pytest.raises(FieldTypeError, match=r"EntryIntoForce\.days_after_signing"):
        EntryIntoForce(days_after_signing="10")  # type: ignore[arg-type]


@SETTINGS
@given(st.integers(min_value=0, max_value=10_000))
def test_a_number_of_days_is_read_back(days: int) -> None:
    text = f"Quyết định này có hiệu lực sau {days} ngày kể từ ngày ký"
    assert EntryIntoForce.parse(text) == EntryIntoForce(days_after_signing=days, text=text)


# -- the documents part in plan files --------------------------------------------------------------

_ids = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
_texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1).filter(
    str.strip
)


@st.composite
def plans_with_documents(draw: Any) -> Plan:
    plan = draw(testing.plans(max_agencies=1, max_tasks=2, max_objectives=1))
    refs = st.one_of(foreign_refs(), st.just(DocumentRef.parse("886/QĐ-UBND")))
    annexes = draw(
        st.lists(
            st.builds(
                Annex,
                id=_ids,
                label=st.none() | _texts,
                title=st.just("") | _texts,
                text=st.none() | _texts,
            ),
            max_size=2,
            unique_by=lambda a: a.id,
        )
    )
    citations = draw(
        st.lists(
            st.builds(
                Citation,
                document=refs,
                at=st.none() | _texts,
                task=st.none() | _ids,
                objective=st.none() | _ids,
                annex=st.none() | _ids,
            ),
            max_size=3,
        )
    )
    entry = draw(
        st.none()
        | st.builds(
            EntryIntoForce,
            days_after_signing=st.none() | st.integers(min_value=-5, max_value=400),
            date=st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)),
            text=st.none() | _texts,
        )
    )
    metadata: PlanMetadata = attrs.evolve(
        plan.metadata,
        issued_with=draw(st.none() | refs),
        submission=draw(st.none() | refs),
        entry_into_force=entry,
    )
    return attrs.evolve(plan, metadata=metadata, annexes=tuple(annexes), citations=tuple(citations))


@SETTINGS
@given(plans_with_documents(), st.sampled_from(FORMATS))
def test_the_documents_part_round_trips_in_every_format(plan: Plan, format: str) -> None:
    text = dumps(plan, format)
    if format == "json":  # the fast record writer lays the text out as the generic one
        assert text == files._dump_json(to_dict(plan))
    again = loads(text, format)
    assert again == plan
    assert dumps(again, format) == text


def test_a_plan_finds_its_annexes_by_id() -> None:
    plan = Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="P"),
        period=_year(2024),
        annexes=(Annex(id="annex-1", label="Phụ lục 1"),),
    )
    assert plan.annex("annex-1").label == "Phụ lục 1"
    with pytest.raises(LookupError, match="did you mean 'annex-1'"):
        plan.annex("annex-2")


def _year(year: int) -> Any:
    from egovplan.period import Period

    return Period.year(year)
