import pytest

from myhandicap_api.domain.errors import InvalidNationalNumberError
from myhandicap_api.domain.national_number import (
    has_valid_check_digits,
    parse_national_number,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("85.07.30-033.28", "85073003328"),
        ("78042304657", "78042304657"),
        (" 78 04 23 046 57 ", "78042304657"),
        ("78/04/23-046.57", "78042304657"),
    ],
)
def test_separators_are_stripped(raw, expected):
    assert parse_national_number(raw) == expected


@pytest.mark.parametrize(
    "nrn",
    [
        "00022906479",  # born on 29 February 2000: checked with a 2 in front
        "04071909282",  # born in 2004
        "12121212376",  # born in 2012
        "90461515753",  # BIS number, month raised by 40
        "03310804623",  # BIS number, month raised by 20, born in 2003
        "49113020895",  # born in 1949
    ],
)
def test_valid_numbers_of_both_centuries_and_bis_numbers_pass(nrn):
    assert parse_national_number(nrn) == nrn


def test_check_digits_of_97_are_valid_when_the_body_is_a_multiple_of_97():
    body = f"{97 * 1_000_000:09d}"

    assert has_valid_check_digits(body + "97")


@pytest.mark.parametrize("nrn", ["85073003329", "00022906480", "90461515754"])
def test_a_wrong_check_is_refused(nrn):
    with pytest.raises(InvalidNationalNumberError) as caught:
        parse_national_number(nrn, field="nrn")

    assert caught.value.field == "nrn"
    assert "check digits" in caught.value.message


@pytest.mark.parametrize(
    "raw", ["", "8507300332", "850730033288", "85O73003328", "٨٥٠٧٣٠٠٣٣٢٨"]
)
def test_anything_but_eleven_ascii_digits_is_refused(raw):
    with pytest.raises(InvalidNationalNumberError, match="11 digits"):
        parse_national_number(raw)
