from datetime import date

import pytest

from identity_stub.register import PersonRecord, all_persons, find


def expected_check_digits(nrn: str, born: date) -> int:
    nine = nrn[:9]
    number = int("2" + nine) if born.year >= 2000 else int(nine)
    return 97 - number % 97


def encoded_date(nrn: str) -> tuple[int, int, int, int]:
    """Return year (2 digits), month, day and the BIS offset of the month."""
    year, month, day = int(nrn[0:2]), int(nrn[2:4]), int(nrn[4:6])
    offset = 40 if month > 40 else 20 if month > 20 else 0
    return year, month - offset, day, offset


def person(first_name: str, last_name: str) -> PersonRecord:
    matches = [
        p
        for p in all_persons()
        if (p.first_name, p.last_name) == (first_name, last_name)
    ]
    assert len(matches) == 1, f"{first_name} {last_name} is in the register once"
    return matches[0]


@pytest.mark.parametrize("record", all_persons(), ids=lambda p: p.last_name)
def test_every_number_passes_the_checksum(record: PersonRecord) -> None:
    nrn = record.national_number

    assert len(nrn) == 11
    assert nrn.isdigit()
    assert int(nrn[9:]) == expected_check_digits(nrn, record.birth_date)


@pytest.mark.parametrize("record", all_persons(), ids=lambda p: p.last_name)
def test_every_number_encodes_the_birth_date(record: PersonRecord) -> None:
    year, month, day, _ = encoded_date(record.national_number)

    born = record.birth_date
    assert (year, month, day) == (born.year % 100, born.month, born.day)


def test_the_register_is_big_and_varied_enough() -> None:
    persons = all_persons()
    numbers = [p.national_number for p in persons]
    offsets = {encoded_date(n)[3] for n in numbers}

    assert len(persons) >= 15
    assert len(set(numbers)) == len(numbers)
    assert {p.birth_date.year >= 2000 for p in persons} == {True, False}
    assert {20, 40} <= offsets
    assert {p.locale for p in persons} == {"nl", "fr", "de", "en"}


def test_the_people_of_the_manual_are_there() -> None:
    jane, jan = person("Jane", "Doe"), person("Jan", "Peters")

    assert jane.national_number.startswith("010101123")
    assert jane.birth_date == date(2001, 1, 1)
    assert (jane.address.street, jane.address.house_number) == ("Gentsteenweg", "123")
    assert (jane.address.postal_code, jane.address.municipality) == ("9000", "Gent")
    assert jan.national_number.startswith("121212123")
    assert jan.birth_date == date(2012, 12, 12)
    assert (jan.address.street, jan.address.house_number) == ("Schoolstraat", "1")
    assert (jan.address.postal_code, jan.address.municipality) == ("9000", "Gent")


def test_an_ansoms_and_the_four_she_helps_are_natural_persons() -> None:
    helped = [
        person("Bart", "Claes"),
        person("Chantal", "Dubois"),
        person("Emma", "Goossens"),
        person("Hendrik", "Willems"),
    ]

    assert person("An", "Ansoms").natural_person
    assert all(p.natural_person and p.professional is None for p in helped)
    assert len({p.last_name for p in helped}) == 4


def test_professionals_work_for_a_social_service_and_a_health_fund() -> None:
    organisations = {
        p.professional.organisation for p in all_persons() if p.professional
    }

    assert "OCMW Gent" in organisations
    assert any("Ziekenfonds" in name for name in organisations)


def test_someone_lives_in_a_street_with_accents() -> None:
    streets = {p.address.street for p in all_persons()}

    assert "Rue de l'Église" in streets
    assert "Chaussée de Louvain" in streets


def test_one_entry_is_not_a_natural_person() -> None:
    others = [p for p in all_persons() if not p.natural_person]

    assert len(others) == 1
    assert others[0].professional is None


def test_find_ignores_separators_and_misses_strangers() -> None:
    jane = person("Jane", "Doe")

    assert find("01.01.01-123.01") == jane
    assert find("01010112301") == jane
    assert find("85073003328") is None


def test_records_cannot_be_changed() -> None:
    jane = person("Jane", "Doe")

    with pytest.raises(AttributeError):
        jane.first_name = "Joan"  # type: ignore[misc]
