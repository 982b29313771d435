"""Units: egovplan's own lazily built pint registry, unit checks, exact conversion, labels."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from decimal import Decimal
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovplan.errors import EgovplanError
from egovplan.labels import Labels
from egovplan.units import (
    UnitError,
    UnitTypeError,
    build_registry,
    check_unit,
    convert,
    is_known_unit,
    known_units,
    quantity,
    same_dimension,
    unit_label,
    unit_labels,
    unit_registry,
)

#: The unit names the brief and the architecture say plan files use.
PLAN_UNITS = (
    "percent",
    "inhabitants",
    "per_100_inhabitants",
    "civil_servants",
    "per_civil_servant",
    "mbps",
    "mbps_per_civil_servant",
    "count",
    "people",
    "agencies",
    "databases",
    "services",
    "schools",
    "documents",
    "dossiers",
    "rank",
    "score",
)

COUNTED = ("people", "agencies", "databases", "services", "schools", "documents", "dossiers")

magnitudes = st.decimals(allow_nan=False, allow_infinity=False, places=6).filter(
    lambda d: abs(d) < 10**20
)


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


# --- laziness and ownership -----------------------------------------------------------------


def test_importing_egovplan_or_units_does_not_import_pint() -> None:
    code = (
        "import sys, egovplan, egovplan.units\n"
        "from egovplan.units import unit_label, check_unit\n"
        "assert unit_label('databases', 'vi') == 'cơ sở dữ liệu'\n"
        "print('pint' in sys.modules)\n"
    )
    assert _run(code) == "False"


def test_first_use_builds_the_registry_and_imports_pint() -> None:
    code = (
        "import sys\n"
        "from egovplan.units import check_unit\n"
        "check_unit('percent')\n"
        "print('pint' in sys.modules)\n"
    )
    assert _run(code) == "True"


def test_registry_is_built_once_and_is_not_pints_application_registry() -> None:
    import pint

    registry = unit_registry()
    assert registry is unit_registry()
    assert registry is not pint.get_application_registry()
    assert pint.get_application_registry().get() is not registry
    assert registry.non_int_type is Decimal


def test_registry_holds_only_egovplans_units() -> None:
    registry = unit_registry()
    for name in ("meter", "kilogram", "dong", "USD", "kilodatabases", "megabit"):
        assert not is_known_unit(name)
        assert name not in known_units()
    assert len(known_units()) < 60  # pint's default file has about a thousand
    assert not is_known_unit("kilopeople", registry=registry)


def test_build_registry_makes_a_new_registry_with_extra_units() -> None:
    mine = build_registry(["trainees = [trainee] = _ = trainee", "cohorts = 30 * trainees"])
    assert mine is not unit_registry()
    assert is_known_unit("trainees", registry=mine)
    assert not is_known_unit("trainees")  # egovplan's registry is untouched
    assert convert(2, "cohorts", "trainees", registry=mine) == 60
    assert "percent" in known_units(registry=mine)


def test_build_registry_refuses_to_redefine_or_malformed_definitions() -> None:
    with pytest.raises(UnitError, match="bad unit definitions"):
        build_registry(["percent = 0.02"])
    with pytest.raises(UnitError, match="bad unit definitions"):
        build_registry(["= = ="])


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PLAN_UNITS)
def test_plan_units_are_known_and_canonical(name: str) -> None:
    assert is_known_unit(name)
    assert check_unit(name) == name
    assert name in known_units()


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("person", "people"),
        ("%", "percent"),
        ("Mbps", "mbps"),
        ("database", "databases"),
        ("inhabitant", "inhabitants"),
        ("civil_servant", "civil_servants"),
        ("places", "rank"),
        ("points", "score"),
        ("mbps_per_official", "mbps_per_civil_servant"),
    ],
)
def test_aliases_give_the_canonical_name(alias: str, canonical: str) -> None:
    assert is_known_unit(alias)
    assert check_unit(alias) == canonical
    assert alias == canonical or alias not in known_units()


@pytest.mark.parametrize(
    "text", ["1000 ₫", "₫", "VND", "1000", "", " percent", "percent ", "Mbps/civil_servant"]
)
def test_amounts_and_expressions_are_not_unit_names(text: str) -> None:
    assert not is_known_unit(text)
    with pytest.raises(UnitError) as info:
        check_unit(text)
    assert isinstance(info.value, EgovplanError)
    assert isinstance(info.value, ValueError)
    assert repr(text) in str(info.value)
    with pytest.raises(UnitError):
        quantity(1, text)


@pytest.mark.parametrize("text", ["1000 ₫", "5 VND", "$"])
def test_money_is_pointed_to_money(text: str) -> None:
    with pytest.raises(UnitError, match=r"money is not a unit: use egovplan\.Money"):
        check_unit(text)


def test_pint_guesses_are_not_accepted() -> None:
    import pint

    registry = unit_registry()
    assert "agencys" in registry  # pint itself would guess a plural...
    assert not is_known_unit("agencys")  # ...egovplan does not
    assert pint.get_application_registry() is not registry


@pytest.mark.parametrize(
    ("wrong", "suggestion"),
    [
        ("per_100_inhabitant", "per_100_inhabitants"),
        ("per 100 inhabitants", "per_100_inhabitants"),
        ("Mbps/civil_servant", "mbps_per_civil_servant"),
        ("Per_Civil_Servant", "per_civil_servant"),
        ("percen", "percent"),
        ("databse", "database"),
    ],
)
def test_unknown_unit_lists_close_names(wrong: str, suggestion: str) -> None:
    with pytest.raises(UnitError, match="did you mean") as info:
        check_unit(wrong)
    assert suggestion in info.value.suggestions
    assert repr(suggestion) in str(info.value)
    assert info.value.name == wrong


def test_unknown_unit_without_close_names() -> None:
    with pytest.raises(UnitError, match=r"known_units\(\)") as info:
        check_unit("qqqqqq")
    assert info.value.suggestions == ()


@pytest.mark.parametrize("name", [None, 1, b"percent", ["percent"]])
def test_unit_name_must_be_a_string(name: object) -> None:
    assert not is_known_unit(name)
    with pytest.raises(UnitTypeError, match="unit name must be a str"):
        check_unit(name)


# --- dimensions -----------------------------------------------------------------------------


def test_percent_and_per_100_inhabitants_are_different_dimensions() -> None:
    assert not same_dimension("percent", "per_100_inhabitants")
    assert not same_dimension("per_100_inhabitants", "percent")
    with pytest.raises(UnitError, match="cannot convert percent to per_100_inhabitants"):
        convert(50, "percent", "per_100_inhabitants")
    with pytest.raises(UnitError):
        convert(1, "per_100_inhabitants", "per_civil_servant")


def test_pint_refuses_to_add_different_dimensions() -> None:
    import pint

    with pytest.raises(pint.DimensionalityError):
        quantity(13, "databases") + quantity(13, "schools")
    with pytest.raises(pint.DimensionalityError):
        quantity(1, "percent") + quantity(1, "per_100_inhabitants")


@pytest.mark.parametrize("first", COUNTED)
def test_counted_things_are_distinct_dimensions(first: str) -> None:
    for second in COUNTED:
        assert same_dimension(first, second) == (first == second)
    assert not same_dimension(first, "count")
    assert not same_dimension(first, "percent")


def test_same_dimension_within_families() -> None:
    assert same_dimension("per_inhabitant", "per_100_inhabitants")
    assert same_dimension("kbps", "gbps")
    assert same_dimension("bits", "terabytes")
    assert same_dimension("mbps_per_civil_servant", "mbps_per_official")
    assert not same_dimension("mbps", "mbps_per_civil_servant")
    assert not same_dimension("rank", "score")
    assert not same_dimension("inhabitants", "civil_servants")
    with pytest.raises(UnitError):
        same_dimension("percent", "dong")


# --- quantities and conversion --------------------------------------------------------------


@pytest.mark.parametrize("magnitude", [Decimal("12.5"), 12, "12.5", " 7 "])
def test_quantity_has_a_decimal_magnitude(magnitude: Decimal | int | str) -> None:
    q = quantity(magnitude, "per_100_inhabitants")
    assert isinstance(q.magnitude, Decimal)
    assert q.magnitude == Decimal(str(magnitude).strip())
    assert str(q.units) == "per_100_inhabitants"


def test_quantity_uses_the_canonical_unit() -> None:
    assert str(quantity(1, "Mbps").units) == "mbps"
    assert str(quantity(3, "person").units) == "people"


@pytest.mark.parametrize("magnitude", [0.5, 1.0, True])
def test_float_or_bool_magnitude_is_a_type_error(magnitude: object) -> None:
    with pytest.raises(UnitTypeError) as info:
        quantity(magnitude, "percent")  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)
    if isinstance(magnitude, float):
        assert "pass Decimal or str" in str(info.value)


@pytest.mark.parametrize("magnitude", ["NaN", "Infinity", Decimal("-Infinity"), "abc", "1,5"])
def test_bad_magnitudes_are_value_errors(magnitude: object) -> None:
    with pytest.raises(UnitError, match=r"finite|decimal number"):
        quantity(magnitude, "percent")  # type: ignore[arg-type]


def test_huge_magnitudes_are_refused() -> None:
    with pytest.raises(UnitError, match="too many digits"):
        quantity(10**100, "count")
    with pytest.raises(UnitError, match="too long"):
        quantity("1" * 200, "count")


@pytest.mark.parametrize(
    ("magnitude", "source", "target", "expected"),
    [
        ("12.5", "per_100_inhabitants", "per_inhabitant", "0.125"),
        ("0.125", "per_inhabitant", "per_100_inhabitants", "12.5"),
        (3, "mbps_per_civil_servant", "mbps_per_official", "3"),
        (1, "bytes", "bits", "8"),
        (1, "bits", "bytes", "0.125"),
        (1, "gbps", "mbps", "1000"),
        (1, "mbps", "bps", "1000000"),
        ("2.5", "terabytes", "gigabytes", "2500"),
        (7, "databases", "database", "7"),
        (50, "percent", "percent", "50"),
    ],
)
def test_conversions_are_exact_decimals(
    magnitude: Decimal | int | str, source: str, target: str, expected: str
) -> None:
    result = convert(magnitude, source, target)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)


@given(value=magnitudes)
def test_conversion_round_trips_exactly(value: Decimal) -> None:
    per_head = convert(value, "per_100_inhabitants", "per_inhabitant")
    assert per_head == value.scaleb(-2)
    assert convert(per_head, "per_inhabitant", "per_100_inhabitants") == value
    assert convert(convert(value, "bytes", "bits"), "bits", "bytes") == value
    assert convert(value, "gbps", "kbps") == value.scaleb(6)


def test_a_conversion_that_cannot_be_exact_is_an_error() -> None:
    thirds = build_registry(["thirds = [thing] = _ = third", "wholes = 3 * thirds"])
    assert convert(2, "wholes", "thirds", registry=thirds) == 6
    with pytest.raises(UnitError, match="not exact"):
        convert(1, "thirds", "wholes", registry=thirds)


def test_conversion_ignores_the_ambient_decimal_context() -> None:
    import decimal

    with decimal.localcontext() as context:
        context.prec = 2
        assert convert("123.456", "gbps", "bps") == Decimal("123456000000")


# --- labels ---------------------------------------------------------------------------------


def _label_file() -> dict[str, dict[str, str]]:
    text = (resources.files("egovplan") / "data" / "unit_labels.toml").read_text("utf-8")
    return tomllib.loads(text)


def test_every_unit_has_vietnamese_and_english_labels() -> None:
    data = _label_file()
    assert set(data) == set(known_units())
    for name in known_units():
        labels = unit_labels(name)
        assert isinstance(labels, Labels)
        assert labels["vi"]
        assert labels["en"]


@pytest.mark.parametrize(
    ("name", "vi", "en"),
    [
        ("per_100_inhabitants", "trên 100 dân", "per 100 inhabitants"),
        ("per_civil_servant", "trên một cán bộ, công chức", "per civil servant"),
        ("databases", "cơ sở dữ liệu", "databases"),
        ("percent", "%", "%"),
        ("mbps_per_civil_servant", "Mbps/cán bộ, công chức", "Mbps per civil servant"),
        ("rank", "hạng", "rank"),
    ],
)
def test_unit_label(name: str, vi: str, en: str) -> None:
    assert unit_label(name, "vi") == vi
    assert unit_label(name, "en") == en
    assert unit_label(name) == en


def test_unit_label_falls_back_and_resolves_aliases() -> None:
    assert unit_label("databases", "vi_VN") == "cơ sở dữ liệu"
    assert unit_label("databases", "fr") == "databases"
    assert unit_label("database", "vi") == "cơ sở dữ liệu"
    assert unit_label("Mbps", "en") == "Mbps"


def test_unit_label_of_an_unknown_unit_is_an_error() -> None:
    with pytest.raises(UnitError, match="databse"):
        unit_label("databse", "vi")


def test_own_labels_and_own_units() -> None:
    mine = build_registry(["trainees = [trainee] = _ = trainee"])
    own = {"trainees": {"vi": "học viên", "en": "trainees"}, "databases": {"en": "DBs"}}
    assert unit_label("trainees", "vi", labels=own, registry=mine) == "học viên"
    assert unit_label("trainee", "vi", labels=own, registry=mine) == "học viên"
    assert unit_label("databases", "en", labels=own) == "DBs"
    assert unit_label("databases", "en") == "databases"  # nothing global changed
    assert unit_labels("trainees", registry=mine) == Labels({"en": "trainees"})
