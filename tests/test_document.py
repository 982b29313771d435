from __future__ import annotations

import datetime as dt
import operator
import re
import tomllib
import unicodedata
from importlib import resources

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.document import DocumentRef, PlanMetadata, Signatory
from egovplan.errors import ParseError

D = dt.date


def ref(**fields: object) -> DocumentRef:
    fields.setdefault("kind", None)
    return DocumentRef(**fields)  # type: ignore[arg-type]


# --- identifiers --------------------------------------------------------------------------

IDENTIFIERS = [
    ("332/KH-UBND", ref(kind="plan", number="332", issuer="UBND")),
    ("14/2011/QĐ-UBND", ref(kind="decision", number="14", year=2011, issuer="UBND")),
    ("64/2007/NĐ-CP", ref(kind="decree", number="64", year=2007, issuer="CP")),
    ("36-NQ/TW", ref(kind="resolution", number="36", issuer="TW")),
    ("246-CTr/TU", ref(kind="action_programme", number="246", issuer="TU")),
    ("20-ĐA/TU", ref(kind="project", number="20", issuer="TU")),
    ("698/QĐ-TTg", ref(kind="decision", number="698", issuer="TTg")),
    ("26/NQ-CP", ref(kind="resolution", number="26", issuer="CP")),
    ("36a/NQ-CP", ref(kind="resolution", number="36a", issuer="CP")),
    ("170/TTr-STTTT", ref(kind="submission", number="170", issuer="STTTT")),
    ("1025/UBND-VX", ref(kind="official_letter", number="1025", issuer="UBND", division="VX")),
    ("45/QĐ-TTg", ref(kind="decision", number="45", issuer="TTg")),
    ("03/2014/TT-BTTTT", ref(kind="circular", number="03", year=2014, issuer="BTTTT")),
    ("2011/QĐ-UBND", ref(kind="decision", number="2011", issuer="UBND")),
    ("125/TTr-BCĐCNTT", ref(kind="submission", number="125", issuer="BCĐCNTT")),
    ("58-CT/TW", ref(kind="directive", number="58", issuer="TW")),
    ("15/2009/CT-UBND", ref(kind="directive", number="15", year=2009, issuer="UBND")),
    ("33/NQ-HĐND", ref(kind="resolution", number="33", issuer="HĐND")),
    ("67/2006/QH11", ref(number="67", year=2006, issuer="QH11")),
]


@pytest.mark.parametrize(("text", "expected"), IDENTIFIERS)
def test_parse_identifier(text: str, expected: DocumentRef) -> None:
    parsed = DocumentRef.parse(text)
    assert parsed == expected
    assert str(parsed) == text
    assert parsed.identifier == text


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("  332/KH-UBND  ", "332/KH-UBND"),
        (unicodedata.normalize("NFD", "14/2011/QĐ-UBND"), "14/2011/QĐ-UBND"),
        ("14/2011/Q\u00d0-UBND", "14/2011/QĐ-UBND"),  # Ð (eth) for Đ
        ("20-\u00d0A/TU", "20-ĐA/TU"),
        ("64/2007/ND-CP", "64/2007/NĐ-CP"),  # written without the stroke
        ("246-CTR/TU", "246-CTr/TU"),  # upper-cased, as in titles
        ("12/CTHĐ-UBND", "12/CTr-UBND"),  # the second abbreviation of the kind
        ("12- NQ/TU", "12-NQ/TU"),
        ("45 / QĐ - TTg", "45/QĐ-TTg"),
        ("36–NQ/TW", "36-NQ/TW"),  # en dash
        ("Số: 332/KH-UBND", "332/KH-UBND"),
        ("số 332/KH-UBND.", "332/KH-UBND"),
    ],
)
def test_parse_identifier_variants(text: str, canonical: str) -> None:
    assert str(DocumentRef.parse(text)) == canonical


# --- citations: every "Căn cứ" line of the seeds, and other citations they contain ----------

LEGAL_BASES = [
    (
        "Căn cứ Luật Công nghệ thông tin ngày 29 tháng 6 năm 2006;",
        ref(
            kind="law", number="", issuer="", date=D(2006, 6, 29), title="Luật Công nghệ thông tin"
        ),
    ),
    (
        "Căn cứ Luật Giao dịch điện tử ngày 29 tháng 11 năm 2005;",
        ref(kind="law", number="", issuer="", date=D(2005, 11, 29), title="Luật Giao dịch điện tử"),
    ),
    (
        "Căn cứ Nghị quyết số 36-NQ/TW ngày 01 tháng 7 năm 2014 của Bộ Chính trị về đẩy mạnh"
        " ứng dụng, phát triển công nghệ thông tin đáp ứng yêu cầu phát triển bền vững và hội"
        " nhập quốc tế;",
        ref(
            kind="resolution",
            number="36",
            issuer="TW",
            date=D(2014, 7, 1),
            issuing_body="Bộ Chính trị",
            title="đẩy mạnh ứng dụng, phát triển công nghệ thông tin đáp ứng yêu cầu phát triển"
            " bền vững và hội nhập quốc tế",
        ),
    ),
    (
        "Căn cứ Nghị quyết số 26/NQ-CP ngày 15 tháng 4 năm 2015 của Chính phủ về việc ban hành"
        " Chương trình hành động của Chính phủ thực hiện Nghị quyết số 36-NQ/TW;",
        ref(
            kind="resolution",
            number="26",
            issuer="CP",
            date=D(2015, 4, 15),
            issuing_body="Chính phủ",
            title="ban hành Chương trình hành động của Chính phủ thực hiện Nghị quyết số 36-NQ/TW",
        ),
    ),
    (
        "Căn cứ Nghị định 64/2007/NĐ-CP ngày 10 tháng 4 năm 2007 của Chính phủ về ứng dụng công"
        " nghệ thông tin trong hoạt động của cơ quan nhà nước;",
        ref(
            kind="decree",
            number="64",
            year=2007,
            issuer="CP",
            date=D(2007, 4, 10),
            issuing_body="Chính phủ",
            title="ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước",
        ),
    ),
    (
        "Căn cứ Quyết định 698/QĐ-TTg ngày 01 tháng 6 năm 2009 của Thủ tướng Chính phủ phê duyệt"
        " Kế hoạch tổng thể phát triển nguồn nhân lực công nghệ thông tin đến năm 2015;",
        ref(
            kind="decision",
            number="698",
            issuer="TTg",
            date=D(2009, 6, 1),
            issuing_body="Thủ tướng Chính phủ",
            title="phê duyệt Kế hoạch tổng thể phát triển nguồn nhân lực công nghệ thông tin"
            " đến năm 2015",
        ),
    ),
    (
        "Căn cứ Chương trình hành động số 246-CTr/TU ngày 17 tháng 10 năm 2014 của Tỉnh ủy Hậu"
        " Giang thực hiện Nghị quyết số 36-NQ/TW ngày 01 tháng 7 năm 2014 của Bộ Chính trị;",
        ref(
            kind="action_programme",
            number="246",
            issuer="TU",
            date=D(2014, 10, 17),
            issuing_body="Tỉnh ủy Hậu Giang",
            title="thực hiện Nghị quyết số 36-NQ/TW ngày 01 tháng 7 năm 2014 của Bộ Chính trị",
        ),
    ),
    (
        "Căn cứ Quyết định số 972/QĐ-UBND ngày 16 tháng 6 năm 2011của UBND tỉnh Hậu Giang về"
        " việc phê duyệt Quy hoạch phát triển bưu chính, viễn thông và công nghệ thông tin tỉnh"
        " Hậu Giang đến năm 2020,",
        ref(
            kind="decision",
            number="972",
            issuer="UBND",
            date=D(2011, 6, 16),
            issuing_body="UBND tỉnh Hậu Giang",
            title="phê duyệt Quy hoạch phát triển bưu chính, viễn thông và công nghệ thông tin"
            " tỉnh Hậu Giang đến năm 2020",
        ),
    ),
    (
        "Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26/11/2003;",
        ref(
            kind="law",
            number="",
            issuer="",
            date=D(2003, 11, 26),
            title="Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân",
        ),
    ),
    (
        "Căn cứ Nghị định số: 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ về ứng dụng công nghệ"
        " thông tin trong hoạt động của cơ quan nhà nước;",
        ref(
            kind="decree",
            number="64",
            year=2007,
            issuer="CP",
            date=D(2007, 4, 10),
            issuing_body="Chính phủ",
            title="ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước",
        ),
    ),
    (
        "Căn cứ Quyết định số: 698/QĐ-TTg ngày 01/06/2009 của Thủ tướng Chính phủ về việc phê"
        " duyệt Kế hoạch tổng thể;",
        ref(
            kind="decision",
            number="698",
            issuer="TTg",
            date=D(2009, 6, 1),
            issuing_body="Thủ tướng Chính phủ",
            title="phê duyệt Kế hoạch tổng thể",
        ),
    ),
    (
        "Căn cứ Quyết định số: 1605/QĐ-TTg ngày 27/8/2010 của Thủ tướng Chính phủ về việc phê"
        " duyệt Chương trình quốc gia về ứng dụng CNTT trong hoạt động của cơ quan Nhà nước"
        " giai đoạn 2011-2015;",
        ref(
            kind="decision",
            number="1605",
            issuer="TTg",
            date=D(2010, 8, 27),
            issuing_body="Thủ tướng Chính phủ",
            title="phê duyệt Chương trình quốc gia về ứng dụng CNTT trong hoạt động của cơ quan"
            " Nhà nước giai đoạn 2011-2015",
        ),
    ),
    (
        "Căn cứ Quyết định số: 1755/QĐ-TTg ngày 22/9/2010 của Thủ tướng Chính phủ về việc ban"
        " hành quyết định phê duyệt đề án “Đưa Việt Nam sớm trở thành nước mạnh về Công nghệ"
        " thông tin và Truyền thông”;",
        ref(
            kind="decision",
            number="1755",
            issuer="TTg",
            date=D(2010, 9, 22),
            issuing_body="Thủ tướng Chính phủ",
            title="ban hành quyết định phê duyệt đề án “Đưa Việt Nam sớm trở thành nước mạnh về"
            " Công nghệ thông tin và Truyền thông”",
        ),
    ),
    (
        "Căn cứ Quyết định số: 2619/QĐ-UBND ngày 25/8/2009 của Ủy ban nhân dân tỉnh Bắc Kạn về"
        " việc phê duyệt quy hoạch phát triển công nghệ thông tin tỉnh Bắc Kạn;",
        ref(
            kind="decision",
            number="2619",
            issuer="UBND",
            date=D(2009, 8, 25),
            issuing_body="Ủy ban nhân dân tỉnh Bắc Kạn",
            title="phê duyệt quy hoạch phát triển công nghệ thông tin tỉnh Bắc Kạn",
        ),
    ),
    (
        "Căn cứ Kế hoạch số: 129/KH-UBND ngày 03/6/2011 của Ủy ban nhân dân tỉnh Bắc Kạn về việc"
        " phê duyệt Kế hoạch thực hiện Đề án;",
        ref(
            kind="plan",
            number="129",
            issuer="UBND",
            date=D(2011, 6, 3),
            issuing_body="Ủy ban nhân dân tỉnh Bắc Kạn",
            title="phê duyệt Kế hoạch thực hiện Đề án",
        ),
    ),
    (
        "Căn cứ Luật Công nghệ thông tin ngày 29/6/2006;",
        ref(
            kind="law", number="", issuer="", date=D(2006, 6, 29), title="Luật Công nghệ thông tin"
        ),
    ),
    (
        "Căn cứ Nghị quyết số 26/NQ-CP ngày 15/4/2015 của Chính phủ ban hành Chương trình hành"
        " động thực hiện Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị (khóa XI);",
        ref(
            kind="resolution",
            number="26",
            issuer="CP",
            date=D(2015, 4, 15),
            issuing_body="Chính phủ",
            title="ban hành Chương trình hành động thực hiện Nghị quyết số 36-NQ/TW ngày"
            " 01/7/2014 của Bộ Chính trị (khóa XI)",
        ),
    ),
    (
        "Căn cứ Nghị quyết số 36a/NQ-CP ngày 14/10/2015 của Chính phủ về Chính phủ điện tử;",
        ref(
            kind="resolution",
            number="36a",
            issuer="CP",
            date=D(2015, 10, 14),
            issuing_body="Chính phủ",
            title="Chính phủ điện tử",
        ),
    ),
    (
        "Căn cứ Nghị quyết số 17/NQ-CP ngày 07/3/2019 của Chính phủ về một số nhiệm vụ, giải"
        " pháp trọng tâm phát triển Chính phủ điện tử giai đoạn 2019-2020, định hướng đến 2025;",
        ref(
            kind="resolution",
            number="17",
            issuer="CP",
            date=D(2019, 3, 7),
            issuing_body="Chính phủ",
            title="một số nhiệm vụ, giải pháp trọng tâm phát triển Chính phủ điện tử giai đoạn"
            " 2019-2020, định hướng đến 2025",
        ),
    ),
    (
        "Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt"
        " chương trình chuyển đổi số Quốc gia đến năm 2025, định hướng đến năm 2030;",
        ref(
            kind="decision",
            number="749",
            issuer="TTg",
            date=D(2020, 6, 3),
            issuing_body="Thủ tướng Chính phủ",
            title="phê duyệt chương trình chuyển đổi số Quốc gia đến năm 2025, định hướng đến"
            " năm 2030",
        ),
    ),
    (
        "Căn cứ Nghị quyết số 33/NQ-HĐND ngày 17/9/2020 của Hội đồng nhân dân tỉnh về Đề án"
        " Phát triển ứng dụng công nghệ thông tin, xây dựng chính quyền số tỉnh Quảng Nam giai"
        " đoạn 2021-2025;",
        ref(
            kind="resolution",
            number="33",
            issuer="HĐND",
            date=D(2020, 9, 17),
            issuing_body="Hội đồng nhân dân tỉnh",
            title="Đề án Phát triển ứng dụng công nghệ thông tin, xây dựng chính quyền số tỉnh"
            " Quảng Nam giai đoạn 2021-2025",
        ),
    ),
]


@pytest.mark.parametrize(("text", "expected"), LEGAL_BASES)
def test_parse_legal_basis(text: str, expected: DocumentRef) -> None:
    assert DocumentRef.parse(text) == expected


OTHER_CITATIONS = [
    (
        "Quyết định số 698/QĐ-TTg ngày 01/06/2009 của Thủ tướng Chính phủ",
        ref(
            kind="decision",
            number="698",
            issuer="TTg",
            date=D(2009, 6, 1),
            issuing_body="Thủ tướng Chính phủ",
        ),
    ),
    (
        "Kế hoạch số 332/KH-UBND ngày 21 tháng 12 năm 2017",
        ref(kind="plan", number="332", issuer="UBND", date=D(2017, 12, 21)),
    ),
    (
        "Luật Công nghệ thông tin ngày 29/6/2006",
        ref(
            kind="law", number="", issuer="", date=D(2006, 6, 29), title="Luật Công nghệ thông tin"
        ),
    ),
    (
        "Đề án 20-ĐA/TU ngày\n20/12/2016 của Tỉnh ủy Lào Cai về phát triển CNTT tỉnh Lào Cai"
        " giai đoạn\n2017-2020;",
        ref(
            kind="project",
            number="20",
            issuer="TU",
            date=D(2016, 12, 20),
            issuing_body="Tỉnh ủy Lào Cai",
            title="phát triển CNTT tỉnh Lào Cai giai đoạn 2017-2020",
        ),
    ),
    (
        "Thực hiện Nghị quyết số: 12-NQ/TU ngày 21/7/2011 Hội nghị lần thứ năm Ban Chấp hành"
        " Đảng bộ tỉnh (Khoá X) về đẩy mạnh ứng dụng và phát triển công nghệ thông tin;",
        ref(
            kind="resolution",
            number="12",
            issuer="TU",
            date=D(2011, 7, 21),
            issuing_body="Hội nghị lần thứ năm Ban Chấp hành Đảng bộ tỉnh (Khoá X)",
            title="đẩy mạnh ứng dụng và phát triển công nghệ thông tin",
        ),
    ),
    (
        "Tờ trình số: 125/TTr-BCĐCNTT ngày 17/05/2012,",
        ref(kind="submission", number="125", issuer="BCĐCNTT", date=D(2012, 5, 17)),
    ),
    (
        "(Ban hành kèm theo Quyết định số: 886/QĐ-UBND ngày 11/6/2012 của Ủy ban nhân dân tỉnh"
        " Bắc Kạn)",
        ref(
            kind="decision",
            number="886",
            issuer="UBND",
            date=D(2012, 6, 11),
            issuing_body="Ủy ban nhân dân tỉnh Bắc Kạn",
        ),
    ),
    (
        "văn bản số 1025/UBND-VX ngày 23/3/2015",
        ref(
            kind="official_letter",
            number="1025",
            issuer="UBND",
            division="VX",
            date=D(2015, 3, 23),
        ),
    ),
    (
        "Nghị định số: 43/2011/NĐ-CP ngày 13/6/2011 của Chính phủ quy định về việc cung cấp"
        " thông tin",
        ref(
            kind="decree",
            number="43",
            year=2011,
            issuer="CP",
            date=D(2011, 6, 13),
            issuing_body="Chính phủ",
            title="quy định về việc cung cấp thông tin",
        ),
    ),
    (
        "Chỉ thị số: 58-CT/TW ngày 17/10/2000 của Bộ Chính Trị về đẩy mạnh ứng dụng",
        ref(
            kind="directive",
            number="58",
            issuer="TW",
            date=D(2000, 10, 17),
            issuing_body="Bộ Chính Trị",
            title="đẩy mạnh ứng dụng",
        ),
    ),
    (
        "Thông tư số 03/2014/TT-BTTTT ngày 11/3/2014 của Bộ Thông tin và Truyền thông về chuẩn"
        " kỹ năng sử dụng CNTT.",
        ref(
            kind="circular",
            number="03",
            year=2014,
            issuer="BTTTT",
            date=D(2014, 3, 11),
            issuing_body="Bộ Thông tin và Truyền thông",
            title="chuẩn kỹ năng sử dụng CNTT",
        ),
    ),
    (
        "Quyết định số: 2011/QĐ-UBND ngày 26/10/2011 của Ủy ban nhân dân tỉnh Bắc Kạn",
        ref(
            kind="decision",
            number="2011",
            issuer="UBND",
            date=D(2011, 10, 26),
            issuing_body="Ủy ban nhân dân tỉnh Bắc Kạn",
        ),
    ),
    (
        "Luật Công nghệ thông tin số 67/2006/QH11 ngày 29/6/2006",
        ref(
            kind="law",
            number="67",
            year=2006,
            issuer="QH11",
            date=D(2006, 6, 29),
            title="Luật Công nghệ thông tin",
        ),
    ),
    (
        "QUYẾT ĐỊNH SỐ 45/QĐ-TTg NGÀY 2/3/2020",
        ref(kind="decision", number="45", issuer="TTg", date=D(2020, 3, 2)),
    ),
    (
        unicodedata.normalize("NFD", "Quyết định số 14/2011/Q\u00d0-UBND ngày 3 tháng 5 năm 2011"),
        ref(kind="decision", number="14", year=2011, issuer="UBND", date=D(2011, 5, 3)),
    ),
    (
        "Quyết định 45/QĐ-TTg - phê duyệt đề án",
        ref(kind="decision", number="45", issuer="TTg", title="phê duyệt đề án"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), OTHER_CITATIONS)
def test_parse_citation(text: str, expected: DocumentRef) -> None:
    assert DocumentRef.parse(text) == expected


def test_parse_citations_splits_a_line() -> None:
    refs = DocumentRef.parse_citations("Căn cứ Luật Công nghệ thông tin; Luật Giao dịch điện tử;")
    assert refs == (
        ref(kind="law", number="", issuer="", title="Luật Công nghệ thông tin"),
        ref(kind="law", number="", issuer="", title="Luật Giao dịch điện tử"),
    )
    refs = DocumentRef.parse_citations(
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015; Luật Sửa đổi, bổ sung một"
        " số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày"
        " 22/11/2019;"
    )
    assert [(r.kind, r.date) for r in refs] == [
        ("law", D(2015, 6, 19)),
        ("law", D(2019, 11, 22)),
    ]
    assert refs[1].title == (
        "Luật Sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính"
        " quyền địa phương"
    )
    assert DocumentRef.parse_citations(" ; \n") == ()


# Every "Căn cứ" line of the four seed documents (shared/seeds), verbatim: the line, then
# each document it cites as (identifier or name, kind, date, issuing body).
SEED_LEGAL_BASES: list[tuple[str, list[tuple[str, str, dt.date | None, str | None]]]] = [
    (
        # seed 000
        "Căn cứ Luật Công nghệ thông tin ngày 29 tháng 6 năm 2006;",
        [
            ("Luật Công nghệ thông tin", "law", D(2006, 6, 29), None),
        ],
    ),
    (
        # seed 000
        "Căn cứ Luật Giao dịch điện tử ngày 29 tháng 11 năm 2005;",
        [
            ("Luật Giao dịch điện tử", "law", D(2005, 11, 29), None),
        ],
    ),
    (
        # seed 000
        "Căn cứ Nghị quyết số 36-NQ/TW ngày 01 tháng 7 năm 2014 của Bộ Chính trị về đẩy "
        "mạnh ứng dụng, phát triển công nghệ thông tin đáp ứng yêu cầu phát triển bền "
        "vững và hội nhập quốc tế;",
        [
            ("36-NQ/TW", "resolution", D(2014, 7, 1), "Bộ Chính trị"),
        ],
    ),
    (
        # seed 000
        "Căn cứ Nghị quyết số 26/NQ-CP ngày 15 tháng 4 năm 2015 của Chính phủ về việc "
        "ban hành Chương trình hành động của Chính phủ thực hiện Nghị quyết số 36-NQ/TW "
        "ngày 01 tháng 7 năm 2014 của Bộ Chính trị về đẩy mạnh ứng dụng, phát triển công "
        "nghệ thông tin đáp ứng yêu cầu phát triển bền vững và hội nhập quốc tế;",
        [
            ("26/NQ-CP", "resolution", D(2015, 4, 15), "Chính phủ"),
        ],
    ),
    (
        # seed 000
        "Căn cứ Nghị định 64/2007/NĐ-CP ngày 10 tháng 4 năm 2007 của Chính phủ về ứng "
        "dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước;",
        [
            ("64/2007/NĐ-CP", "decree", D(2007, 4, 10), "Chính phủ"),
        ],
    ),
    (
        # seed 000
        "Căn cứ Quyết định 698/QĐ-TTg ngày 01 tháng 6 năm 2009 của Thủ tướng Chính phủ "
        "phê duyệt Kế hoạch tổng thể phát triển nguồn nhân lực công nghệ thông tin đến "
        "năm 2015 và định hướng đến năm 2020;",
        [
            ("698/QĐ-TTg", "decision", D(2009, 6, 1), "Thủ tướng Chính phủ"),
        ],
    ),
    (
        # seed 000
        "Căn cứ Quyết định 1755/QĐ-TTg ngày 22 tháng 9 năm 2010 của Thủ tướng Chính phủ "
        "phê duyệt Đề án “Đưa Việt Nam sớm trở thành nước mạnh về công nghệ thông tin – "
        "truyền thông”;",
        [
            ("1755/QĐ-TTg", "decision", D(2010, 9, 22), "Thủ tướng Chính phủ"),
        ],
    ),
    (
        # seed 000
        "Căn cứ Chương trình hành động số 246-CTr/TU ngày 17 tháng 10 năm 2014 của Tỉnh "
        "ủy Hậu Giang thực hiện Nghị quyết số 36-NQ/TW ngày 01 tháng 7 năm 2014 của Bộ "
        "Chính trị về đẩy mạnh ứng dụng, phát triển công nghệ thông tin đáp ứng yêu cầu "
        "phát triển bền vững và hội nhập quốc tế;",
        [
            ("246-CTr/TU", "action_programme", D(2014, 10, 17), "Tỉnh ủy Hậu Giang"),
        ],
    ),
    (
        # seed 000
        "Căn cứ Quyết định số 972/QĐ-UBND ngày 16 tháng 6 năm 2011của UBND tỉnh Hậu "
        "Giang về việc phê duyệt Quy hoạch phát triển bưu chính, viễn thông và công nghệ "
        "thông tin tỉnh Hậu Giang đến năm 2020,",
        [
            ("972/QĐ-UBND", "decision", D(2011, 6, 16), "UBND tỉnh Hậu Giang"),
        ],
    ),
    (
        # seed 002
        "Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26/11/2003;",
        [
            ("Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân", "law", D(2003, 11, 26), None),
        ],
    ),
    (
        # seed 002
        "Căn cứ Luật Công nghệ thông tin; Luật Giao dịch điện tử;",
        [
            ("Luật Công nghệ thông tin", "law", None, None),
            ("Luật Giao dịch điện tử", "law", None, None),
        ],
    ),
    (
        # seed 002
        "Căn cứ Nghị định số: 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ về ứng dụng "
        "công nghệ thông tin trong hoạt động của cơ quan nhà nước;",
        [
            ("64/2007/NĐ-CP", "decree", D(2007, 4, 10), "Chính phủ"),
        ],
    ),
    (
        # seed 002
        "Căn cứ Quyết định số: 698/QĐ-TTg ngày 01/06/2009 của Thủ tướng Chính phủ về "
        "việc phê duyệt Kế hoạch tổng thể phát triển nguồn nhân lực công nghệ thông tin "
        "đến năm 2015 và định hướng đến năm 2020;",
        [
            ("698/QĐ-TTg", "decision", D(2009, 6, 1), "Thủ tướng Chính phủ"),
        ],
    ),
    (
        # seed 002
        "Căn cứ Quyết định số: 1605/QĐ-TTg ngày 27/8/2010 của Thủ tướng Chính phủ về "
        "việc phê duyệt Chương trình quốc gia về ứng dụng CNTT trong hoạt động của cơ "
        "quan Nhà nước giai đoạn 2011-2015;",
        [
            ("1605/QĐ-TTg", "decision", D(2010, 8, 27), "Thủ tướng Chính phủ"),
        ],
    ),
    (
        # seed 002
        "Căn cứ Quyết định số: 1755/QĐ-TTg ngày 22/9/2010 của Thủ tướng Chính phủ về "
        "việc ban hành quyết định phê duyệt đề án “Đưa Việt Nam sớm trở thành nước mạnh "
        "về Công nghệ thông tin và Truyền thông”;",
        [
            ("1755/QĐ-TTg", "decision", D(2010, 9, 22), "Thủ tướng Chính phủ"),
        ],
    ),
    (
        # seed 002
        "Căn cứ Quyết định số: 2619/QĐ-UBND ngày 25/8/2009 của Ủy ban nhân dân tỉnh Bắc "
        "Kạn về việc phê duyệt quy hoạch phát triển công nghệ thông tin tỉnh Bắc Kạn đến "
        "năm 2015 và định hướng đến năm 2020;",
        [
            ("2619/QĐ-UBND", "decision", D(2009, 8, 25), "Ủy ban nhân dân tỉnh Bắc Kạn"),
        ],
    ),
    (
        # seed 002
        "Căn cứ Kế hoạch số: 129/KH-UBND ngày 03/6/2011 của Ủy ban nhân dân tỉnh Bắc Kạn "
        "về việc phê duyệt Kế hoạch thực hiện Đề án “Đưa Việt Nam sớm trở thành nước "
        'mạnh về Công nghệ thông tin và Truyền thông" tại tỉnh Bắc Kạn giai đoạn '
        "2011-2015;",
        [
            ("129/KH-UBND", "plan", D(2011, 6, 3), "Ủy ban nhân dân tỉnh Bắc Kạn"),
        ],
    ),
    (
        # seed 003
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015; Luật Sửa đổi, bổ "
        "sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa "
        "phương ngày 22/11/2019;",
        [
            ("Luật Tổ chức chính quyền địa phương", "law", D(2015, 6, 19), None),
            (
                "Luật Sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức"
                " chính quyền địa phương",
                "law",
                D(2019, 11, 22),
                None,
            ),
        ],
    ),
    (
        # seed 003
        "Căn cứ Luật Công nghệ thông tin ngày 29/6/2006;",
        [
            ("Luật Công nghệ thông tin", "law", D(2006, 6, 29), None),
        ],
    ),
    (
        # seed 003
        "Căn cứ Nghị quyết số 26/NQ-CP ngày 15/4/2015 của Chính phủ ban hành Chương "
        "trình hành động thực hiện Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính "
        "trị (khóa XI) về đẩy mạnh ứng dụng, phát triển công nghệ thông tin đáp ứng yêu "
        "cầu phát triển bền vững và hội nhập quốc tế;",
        [
            ("26/NQ-CP", "resolution", D(2015, 4, 15), "Chính phủ"),
        ],
    ),
    (
        # seed 003
        "Căn cứ Nghị quyết số 36a/NQ-CP ngày 14/10/2015 của Chính phủ về Chính phủ điện tử;",
        [
            ("36a/NQ-CP", "resolution", D(2015, 10, 14), "Chính phủ"),
        ],
    ),
    (
        # seed 003
        "Căn cứ Nghị quyết số 17/NQ-CP ngày 07/3/2019 của Chính phủ về một số nhiệm vụ, "
        "giải pháp trọng tâm phát triển Chính phủ điện tử giai đoạn 2019-2020, định "
        "hướng đến 2025;",
        [
            ("17/NQ-CP", "resolution", D(2019, 3, 7), "Chính phủ"),
        ],
    ),
    (
        # seed 003
        "Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê "
        "duyệt chương trình chuyển đổi số Quốc gia đến năm 2025, định hướng đến năm 2030;",
        [
            ("749/QĐ-TTg", "decision", D(2020, 6, 3), "Thủ tướng Chính phủ"),
        ],
    ),
    (
        # seed 003
        "Căn cứ Nghị quyết số 33/NQ-HĐND ngày 17/9/2020 của Hội đồng nhân dân tỉnh về Đề "
        "án Phát triển ứng dụng công nghệ thông tin, xây dựng chính quyền số tỉnh Quảng "
        "Nam giai đoạn 2021-2025;",
        [
            ("33/NQ-HĐND", "resolution", D(2020, 9, 17), "Hội đồng nhân dân tỉnh"),
        ],
    ),
]


@pytest.mark.parametrize(("line", "expected"), SEED_LEGAL_BASES)
def test_every_seed_legal_basis_parses(
    line: str, expected: list[tuple[str, str, dt.date | None, str | None]]
) -> None:
    refs = DocumentRef.parse_citations(line)
    assert [(str(r), r.kind, r.date, r.issuing_body) for r in refs] == expected
    for parsed in refs:
        assert DocumentRef.parse(str(parsed)) == parsed.bare


def test_the_seed_table_covers_every_legal_basis_line() -> None:
    assert len(SEED_LEGAL_BASES) == 24
    assert sum(len(refs) for _, refs in SEED_LEGAL_BASES) == 26


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "it is empty"),
        ("  ;  ", "it is empty"),
        ("hello", "expected a document kind such as 'Quyết định' or an identifier"),
        ("Quyết định số abc", "expected an identifier such as '698/QĐ-TTg' at 'abc'"),
        ("Quyết định số QĐ-UBND", "at 'QĐ-UBND'"),
        ("Quyết định số 332/KH-UBND", "names a 'Quyết định' (decision) but the identifier's 'KH'"),
        ("Luật", "expected the name or number of the law"),
        ("Luật ngày 29/6/2006", "expected the name or number of the law at 'ngày"),
        ("5/QĐ", "expected an issuer after 'QĐ'"),
        ("12-XYZ/TU", "'XYZ' is not the abbreviation of a known document kind"),
        ("5/QĐ-A-B-C", "too many parts after the issuer"),
        ("5/2300/QĐ-UBND", "DocumentRef.year 2300 is outside 1900..2200"),
        ("Quyết định số 5/QĐ-UBND ngày 31/02/2011", "month 2 of 2011 has days 1 to 28, not 31"),
        ("Quyết định số 5/QĐ-UBND ngày abc", "expected a date at 'abc'"),
    ],
)
def test_parse_errors(text: str, fragment: str) -> None:
    with pytest.raises(ParseError) as info:
        DocumentRef.parse(text)
    assert fragment in str(info.value)
    assert repr(text) in str(info.value)
    assert info.value.text == text
    assert isinstance(info.value, ValueError)


def test_parse_error_position_points_at_the_unread_part() -> None:
    with pytest.raises(ParseError) as info:
        DocumentRef.parse("Quyết định số abc")
    assert info.value.position == len("Quyết định số ")


def test_parse_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        DocumentRef.parse(332)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        DocumentRef.parse_citations(None)  # type: ignore[arg-type]


# --- kinds from the catalogue ---------------------------------------------------------------


def _catalogue() -> dict[str, dict[str, object]]:
    text = (resources.files("egovplan") / "data/catalogues/document_kinds.toml").read_text("utf-8")
    kinds: dict[str, dict[str, object]] = tomllib.loads(text)["kinds"]
    return kinds


def test_every_abbreviation_in_the_catalogue_parses_to_its_kind() -> None:
    kinds = _catalogue()
    assert {"decision", "plan", "action_programme", "project", "resolution", "directive"} <= set(
        kinds
    )
    assert {"decree", "submission", "official_letter", "law"} <= set(kinds)
    for code, table in kinds.items():
        for abbreviation in table.get("abbreviations", []):  # type: ignore[attr-defined]
            parsed = DocumentRef.parse(f"5/{abbreviation}-UBND")
            assert parsed.kind == code
            parsed = DocumentRef.parse(f"5-{abbreviation}/TW")
            assert parsed.kind == code
        name = table["vi"]
        if not table.get("cited_by_name"):
            assert DocumentRef.parse(f"{name} số 5/2020/UBND").kind == code


def test_user_kinds_extend_the_catalogue() -> None:
    memo = {"memo": {"vi": "Bản ghi nhớ", "en": "Memorandum", "abbreviations": ["BGN"]}}
    assert DocumentRef.parse("5/BGN-UBND", kinds=memo).kind == "memo"
    assert DocumentRef.parse("Bản ghi nhớ số 5/2020/UBND", kinds=memo).kind == "memo"
    # the built-in kinds stay as they were
    assert DocumentRef.parse("5/BGN-UBND").kind == "official_letter"
    assert DocumentRef.parse("5/BGN-UBND").issuer == "BGN"
    assert DocumentRef.parse("5/QĐ-UBND", kinds=memo).kind == "decision"


# --- formatting -------------------------------------------------------------------------------


def test_str_of_a_reference_without_number_is_its_name() -> None:
    law = DocumentRef.parse("Luật Công nghệ thông tin ngày 29/6/2006")
    assert law.identifier == ""
    assert str(law) == "Luật Công nghệ thông tin"
    assert law.bare == attrs.evolve(law, date=None)
    assert DocumentRef.parse(str(law)) == law.bare


def test_citation() -> None:
    parsed = DocumentRef.parse(
        "Quyết định số 698/QĐ-TTg ngày 01/06/2009 của Thủ tướng Chính phủ về việc phê duyệt"
        " Kế hoạch tổng thể"
    )
    assert parsed.citation("vi") == (
        "Quyết định số 698/QĐ-TTg ngày 1 tháng 6 năm 2009 của Thủ tướng Chính phủ về phê duyệt"
        " Kế hoạch tổng thể"
    )
    assert parsed.citation("en") == (
        "Decision 698/QĐ-TTg of 1 June 2009 by Thủ tướng Chính phủ: phê duyệt Kế hoạch tổng thể"
    )
    assert DocumentRef.parse(parsed.citation("vi")) == parsed
    law = DocumentRef.parse("Luật Công nghệ thông tin ngày 29/6/2006")
    assert law.citation() == "Luật Công nghệ thông tin ngày 29 tháng 6 năm 2006"
    ordinance = DocumentRef.parse("Pháp lệnh số 0/PL-UBND")
    assert (ordinance.kind, ordinance.title) == ("ordinance", None)
    assert ref(number="5", year=2011, issuer="QH11").citation() == "Số 5/2011/QH11"


# --- constructors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error", "fragment"),
    [
        ({"number": "x", "issuer": "UBND"}, ValueError, "DocumentRef.number 'x'"),
        ({"number": 5, "issuer": "UBND"}, TypeError, "DocumentRef.number must be str"),
        ({"number": "5", "issuer": ""}, ValueError, "DocumentRef.issuer must be given"),
        ({"number": "", "issuer": "UBND", "title": "x"}, ValueError, "must be '' when"),
        ({"number": "", "issuer": ""}, ValueError, "DocumentRef.title must be given"),
        ({"number": "5", "issuer": "QĐ-UBND"}, ValueError, "not an issuer code"),
        ({"number": "5", "issuer": "UBND", "division": "V X"}, ValueError, "DocumentRef.division"),
        ({"number": "5", "issuer": "UBND", "kind": "Decision"}, ValueError, "DocumentRef.kind"),
        ({"number": "5", "issuer": "UBND", "year": 1850}, ValueError, "DocumentRef.year"),
        ({"number": "5", "issuer": "UBND", "year": "2011"}, TypeError, "DocumentRef.year"),
        (
            {"number": "5", "issuer": "UBND", "date": dt.datetime(2011, 1, 1)},
            TypeError,
            "DocumentRef.date",
        ),
        ({"number": "5", "issuer": "UBND", "title": "  "}, ValueError, "DocumentRef.title"),
        ({"number": "5", "issuer": "UBND", "issuing_body": ""}, ValueError, "issuing_body"),
    ],
)
def test_document_ref_rejects(fields: dict[str, object], error: type, fragment: str) -> None:
    with pytest.raises(error, match=re.escape(fragment)):
        DocumentRef(**fields)  # type: ignore[arg-type]


def test_models_are_frozen_and_hashable() -> None:
    parsed = DocumentRef.parse("332/KH-UBND")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        parsed.number = "1"  # type: ignore[misc]
    assert len({parsed, DocumentRef.parse(" 332/KH-UBND ")}) == 1
    signatory = Signatory(name="Đặng Xuân Thanh", position="Phó Chủ tịch", capacity="KT. Chủ tịch")
    meta = PlanMetadata(
        ref=parsed,
        kind="plan",
        title="Kế hoạch duy trì, cải thiện ICT-Index năm 2018",
        issuing_body="Ủy ban nhân dân tỉnh Lào Cai",
        date=D(2017, 12, 21),
        place="Lào Cai",
        signatory=signatory,
    )
    assert meta.language == "vi"
    assert hash(meta) == hash(attrs.evolve(meta))
    assert Signatory() == Signatory(name=None, position=None, capacity=None)


@pytest.mark.parametrize(
    ("fields", "error", "fragment"),
    [
        ({"kind": "plan", "title": ""}, ValueError, "PlanMetadata.title"),
        ({"kind": None, "title": "x"}, TypeError, "PlanMetadata.kind"),
        ({"kind": "Kế hoạch", "title": "x"}, ValueError, "PlanMetadata.kind"),
        ({"kind": "plan", "title": "x", "ref": "332/KH-UBND"}, TypeError, "PlanMetadata.ref"),
        ({"kind": "plan", "title": "x", "signatory": "A"}, TypeError, "PlanMetadata.signatory"),
        ({"kind": "plan", "title": "x", "language": "Vietnamese"}, ValueError, "language"),
        ({"kind": "plan", "title": "x", "date": "2017-12-21"}, TypeError, "PlanMetadata.date"),
        ({"kind": "plan", "title": "x", "place": " "}, ValueError, "PlanMetadata.place"),
    ],
)
def test_plan_metadata_rejects(fields: dict[str, object], error: type, fragment: str) -> None:
    with pytest.raises(error, match=re.escape(fragment)):
        PlanMetadata(**fields)  # type: ignore[arg-type]


def test_signatory_rejects_blank_and_non_text() -> None:
    with pytest.raises(ValueError, match=r"Signatory\.name"):
        Signatory(name=" ")
    with pytest.raises(TypeError, match=r"Signatory\.position"):
        Signatory(position=3)  # type: ignore[arg-type]


# --- properties ---------------------------------------------------------------------------------

_KINDS = _catalogue()
_ABBREVIATIONS = {
    str(a).casefold().replace("đ", "d")
    for t in _KINDS.values()
    for a in t.get("abbreviations", [])  # type: ignore[attr-defined]
}
_WITH_ABBREVIATION = sorted(code for code, t in _KINDS.items() if t.get("abbreviations"))

_FIRST = "ABCDEGHKLMNPQSTUVXĐ"
_REST = _FIRST + "abcdghnrstuđ0123456789"
codes = st.one_of(
    st.sampled_from(["UBND", "TTg", "CP", "TW", "TU", "HĐND", "BTTTT", "STTTT", "QH11", "VX"]),
    st.builds(operator.add, st.sampled_from(_FIRST), st.text(_REST, max_size=7)),
).filter(lambda c: c.casefold().replace("đ", "d") not in _ABBREVIATIONS)
numbers = st.builds(
    operator.add,
    st.integers(0, 99999).map(str),
    st.sampled_from(["", "", "", "a", "b"]),
)
years = st.integers(1900, 2200)


@st.composite
def identifier_refs(draw: st.DrawFn) -> DocumentRef:
    """References whose kind the identifier can carry (see DocumentRef.identifier)."""
    number, issuer = draw(numbers), draw(codes)
    division = draw(st.none() | codes)
    shape = draw(st.sampled_from(["kind", "letter", "no_kind"]))
    if shape == "kind":
        kind: str | None = draw(st.sampled_from(_WITH_ABBREVIATION))
        year = draw(st.none() | years)
    elif shape == "letter":  # official letters carry no year
        kind, year = "official_letter", None
    else:  # number/year/issuer, as laws are numbered
        kind, year = None, draw(years)
    return DocumentRef(kind=kind, number=number, year=year, issuer=issuer, division=division)


bodies = st.sampled_from(
    ["Chính phủ", "Thủ tướng Chính phủ", "Bộ Chính trị (khóa XI)", "UBND tỉnh Lào Cai"]
)
titles = st.lists(
    st.sampled_from(["phát triển", "công nghệ", "thông tin", "chính quyền", "số", "2025", "CNTT"]),
    min_size=1,
    max_size=6,
).map(" ".join)


@st.composite
def cited_refs(draw: st.DrawFn) -> DocumentRef:
    bare = draw(identifier_refs())
    return attrs.evolve(
        bare,
        date=draw(st.none() | st.dates(D(1900, 1, 1), D(2200, 12, 31))),
        issuing_body=draw(st.none() | bodies),
        title=draw(st.none() | titles),
    )


@given(identifier_refs())
def test_identifier_round_trip(generated: DocumentRef) -> None:
    assert DocumentRef.parse(str(generated)) == generated
    assert DocumentRef.parse(generated.identifier) == generated.bare


@settings(max_examples=80, deadline=None)
@given(cited_refs())
def test_parse_of_str_is_the_identifier_part(generated: DocumentRef) -> None:
    assert DocumentRef.parse(str(generated)) == generated.bare


@settings(max_examples=80, deadline=None)
@given(cited_refs())
def test_citation_round_trip(generated: DocumentRef) -> None:
    assert DocumentRef.parse(generated.citation("vi")) == generated


@given(identifier_refs(), st.sampled_from(["  {}  ", "Số: {}", "số {};"]))
def test_identifier_with_surroundings(generated: DocumentRef, template: str) -> None:
    text = template.format(generated.identifier)
    assert DocumentRef.parse(unicodedata.normalize("NFD", text)) == generated
