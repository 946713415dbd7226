import pytest

from ssm_api.domain.errors import InvalidInputError, InvalidNationalNumberError
from ssm_api.domain.national_number import NationalNumber

from .ssm_domain_builders import with_check_digits

BORN_1985 = with_check_digits("850730033")
BORN_2001 = with_check_digits("010101123", born_from_2000=True)
ARABIC_INDIC_ZERO = 0x0660
EXTENDED_ARABIC_INDIC_ZERO = 0x06F0
FULLWIDTH_ZERO = 0xFF10


def in_digits(number: str, zero: int) -> str:
    return "".join(chr(zero + int(c)) for c in number)


def wrong_check(number: str) -> str:
    # The two rules' check digits differ by 29 or 68, so one more fits neither.
    return f"{number[:9]}{int(number[9:]) % 97 + 1:02d}"


@pytest.mark.parametrize(
    "number",
    [
        pytest.param(BORN_1985, id="born-1985"),
        pytest.param(with_check_digits("991231999"), id="born-31-12-1999"),
        pytest.param(BORN_2001, id="born-2001"),
        pytest.param(
            with_check_digits("000101001", born_from_2000=True), id="born-1-1-2000"
        ),
        pytest.param(with_check_digits("852730033"), id="bis-month-plus-20"),
        pytest.param(with_check_digits("854730033"), id="bis-month-plus-40"),
        pytest.param(
            with_check_digits("032108046", born_from_2000=True),
            id="bis-month-plus-20-from-2000",
        ),
        pytest.param(
            with_check_digits("034108046", born_from_2000=True),
            id="bis-month-plus-40-from-2000",
        ),
    ],
)
def test_a_number_with_matching_check_digits_is_accepted(number: str) -> None:
    parsed = NationalNumber.parse(number)

    assert parsed.value == number
    assert str(parsed) == number


def test_the_rule_from_2000_on_gives_other_check_digits() -> None:
    before = with_check_digits("010101123")

    after = with_check_digits("010101123", born_from_2000=True)

    assert before != after
    assert NationalNumber.parse(before) != NationalNumber.parse(after)


def grouped(number: str, *separators: str) -> str:
    groups = [number[:2], number[2:4], number[4:6], number[6:9], number[9:]]
    joined = zip(separators, groups[1:], strict=True)
    return groups[0] + "".join(f"{s}{g}" for s, g in joined)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("85.07.30-033.28", id="as-on-the-card"),
        pytest.param(grouped(BORN_1985, ".", ".", "-", "."), id="dots-and-dash"),
        pytest.param(grouped(BORN_1985, " ", " ", " ", " "), id="spaces"),
        pytest.param(grouped(BORN_1985, "/", "/", "-", "/"), id="slashes"),
        pytest.param(grouped(BORN_1985, "", "", "-", "-"), id="dashes"),
        pytest.param(grouped(BORN_1985, "", "", "\u00a0", ""), id="no-break-space"),
        pytest.param(f"  {BORN_1985}\t", id="surrounding-whitespace"),
    ],
)
def test_separators_and_spaces_are_stripped(raw: str) -> None:
    parsed = NationalNumber.parse(raw)

    assert parsed == NationalNumber(BORN_1985)


@pytest.mark.parametrize(
    "number",
    [
        pytest.param(wrong_check(BORN_1985), id="born-1985"),
        pytest.param(wrong_check(BORN_2001), id="born-2001"),
        pytest.param(f"{BORN_1985[:9]}00", id="check-00"),
        pytest.param(f"{BORN_1985[:9]}98", id="check-98"),
        pytest.param(f"{BORN_1985[1:9]}{BORN_1985[0]}{BORN_1985[9:]}", id="swapped"),
    ],
)
def test_wrong_check_digits_are_refused(number: str) -> None:
    with pytest.raises(InvalidNationalNumberError) as caught:
        NationalNumber.parse(number)

    assert caught.value.field == "national_number"
    assert caught.value.message == (
        "The check digits of this national number do not match."
    )


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("", id="empty"),
        pytest.param(" .-/ ", id="separators-only"),
        pytest.param(BORN_1985[:10], id="ten-digits"),
        pytest.param(f"{BORN_1985}0", id="twelve-digits"),
        pytest.param(f"{BORN_1985[:10]}A", id="letter-at-end"),
        pytest.param(f"{BORN_1985[:2]}O{BORN_1985[3:]}", id="letter-o-for-zero"),
        pytest.param(f"{BORN_1985[:10]}_", id="underscore"),
        pytest.param(f"{BORN_1985[:10]}+", id="plus-sign"),
        pytest.param(in_digits(BORN_1985, ARABIC_INDIC_ZERO), id="arabic-indic-digits"),
        pytest.param(
            in_digits(BORN_1985, EXTENDED_ARABIC_INDIC_ZERO),
            id="extended-arabic-indic-digits",
        ),
        pytest.param(in_digits(BORN_1985, FULLWIDTH_ZERO), id="fullwidth-digits"),
        pytest.param(
            f"{BORN_1985[:10]}{in_digits(BORN_1985[10], ARABIC_INDIC_ZERO)}",
            id="one-arabic-indic-digit",
        ),
        pytest.param(f"{BORN_1985[:10]}\u00b9", id="superscript-one"),
    ],
)
def test_anything_but_eleven_ascii_digits_is_refused(raw: str) -> None:
    with pytest.raises(InvalidNationalNumberError) as caught:
        NationalNumber.parse(raw)

    assert caught.value.field == "national_number"
    assert caught.value.message == "A national number has 11 digits."


@pytest.mark.parametrize("raw", [wrong_check(BORN_1985), "123"])
def test_the_error_names_the_field_it_is_given(raw: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        NationalNumber.parse(raw, field="counterparty.national_number")

    assert caught.value.field == "counterparty.national_number"


def test_numbers_compare_by_their_digits() -> None:
    parsed = [NationalNumber.parse(BORN_2001), NationalNumber.parse(BORN_1985)]

    ordered = sorted(parsed)

    assert [n.value for n in ordered] == [BORN_2001, BORN_1985]
