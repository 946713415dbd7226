import pytest

from identity_stub.nrn import is_valid, strip_separators


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("85.07.30-033.28", "85073003328"),
        ("01 01 01 123 01", "01010112301"),
        ("12/12/12-123/76", "12121212376"),
    ],
)
def test_separators_are_stripped(raw: str, expected: str) -> None:
    assert strip_separators(raw) == expected


@pytest.mark.parametrize(
    "nrn",
    [
        "85073003328",  # born before 2000
        "01010112301",  # born from 2000 on
        "90461515753",  # BIS, month + 40
        "03310804623",  # BIS, month + 20, born from 2000 on
    ],
)
def test_valid_numbers_pass(nrn: str) -> None:
    assert is_valid(nrn)


@pytest.mark.parametrize(
    "nrn", ["85073003329", "01010112302", "0101011230", "010101123011", "0101011230x"]
)
def test_wrong_numbers_fail(nrn: str) -> None:
    assert not is_valid(nrn)
