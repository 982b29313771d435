"""Fuzz :meth:`egovplan.document.DocumentRef.parse` and ``parse_citations``.

Run ``python fuzz/fuzz_document_ref.py``; the option byte is not used.
"""

from __future__ import annotations

from harness import check, decode, encode, instrumented, run

with instrumented():
    from egovplan.document import DocumentRef

SEEDS = tuple(
    encode(0, text)
    for text in (
        "14/2011/QĐ-UBND",
        "36-NQ/TW",
        "Quyết định số 698/QĐ-TTg ngày 01/06/2009 của Thủ tướng Chính phủ",
        "Căn cứ Luật Công nghệ thông tin; Luật Giao dịch điện tử;",
        "Nghị quyết số 26/NQ-CP ngày 15/4/2015 của Chính phủ ban hành Chương trình",
        "Kế hoạch số 332/KH-UBND",
    )
)


def test_one_input(data: bytes) -> None:
    """One input: a reference (or a tuple of them) or an egovplan error."""
    _, text = decode(data)
    check(lambda: DocumentRef.parse(text), DocumentRef)
    check(lambda: DocumentRef.parse_citations(text), tuple)


if __name__ == "__main__":
    run(test_one_input, SEEDS)
