import pytest

from ssm_api.domain.address import normalise

from .ssm_domain_builders import make_address


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Schoolstraat", "schoolstraat"),
        ("  SCHOOLSTRAAT\t", "schoolstraat"),
        ("Église", "eglise"),
        ("Chaussée de Wavre", "chaussee de wavre"),
        ("Rue François Gay", "rue francois gay"),
        ("Hauptstraße", "hauptstrasse"),
        ("HAUPTSTRASSE", "hauptstrasse"),
        ("Sint-Pietersnieuwstraat  12", "sint-pietersnieuwstraat  12"),
    ],
)
def test_normalise_folds_case_and_accents_and_trims(typed: str, expected: str) -> None:
    normalised = normalise(typed)

    assert normalised == expected


def test_a_decomposed_accent_folds_like_a_composed_one() -> None:
    composed = "\u00c9glise"
    decomposed = "E\u0301glise"

    folded = (normalise(composed), normalise(decomposed))

    assert folded == ("eglise", "eglise")


@pytest.mark.parametrize(
    ("street", "house_number", "postal_code"),
    [
        pytest.param("Schoolstraat", "1", "9000", id="as-stored"),
        pytest.param("schoolstraat", "1", "9000", id="lower-case"),
        pytest.param("SCHOOLSTRAAT", "1", "9000", id="upper-case"),
        pytest.param("  Schoolstraat ", " 1 ", " 9000  ", id="surrounding-spaces"),
    ],
)
def test_the_same_address_typed_loosely_matches(
    street: str, house_number: str, postal_code: str
) -> None:
    address = make_address()

    matches = address.matches(street, house_number, postal_code)

    assert matches


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        pytest.param("Rue de l'Église", "rue de l'eglise", id="e-acute"),
        pytest.param(
            "Chaussée de Louvain", "CHAUSSEE DE LOUVAIN", id="upper-no-accent"
        ),
        pytest.param("Place François", "place francois", id="c-cedilla"),
        pytest.param("Rue de l'Eglise", "Rue de l'Église", id="accent-only-typed"),
        pytest.param("Hauptstraße", "HAUPTSTRASSE", id="sharp-s-upper"),
        pytest.param("Hauptstraße", "hauptstrasse", id="sharp-s-lower"),
        pytest.param("Hauptstrasse", "Hauptstraße", id="sharp-s-typed"),
    ],
)
def test_accents_and_sharp_s_are_folded(stored: str, typed: str) -> None:
    address = make_address(street=stored)

    matches = address.matches(typed, "1", "9000")

    assert matches


def test_a_letter_of_the_house_number_matches_in_either_case() -> None:
    address = make_address(house_number="1A")

    matches = address.matches("Schoolstraat", "1a", "9000")

    assert matches


@pytest.mark.parametrize(
    ("street", "house_number", "postal_code"),
    [
        pytest.param("Schoolstraat", "2", "9000", id="other-house-number"),
        pytest.param("Schoolstraat", "1A", "9000", id="house-number-with-letter"),
        pytest.param("Schoolstraat", "11", "9000", id="longer-house-number"),
        pytest.param("Schoolstraat", "1", "9050", id="other-postal-code"),
        pytest.param("Kerkstraat", "1", "9000", id="other-street"),
        pytest.param("School straat", "1", "9000", id="inner-space"),
        pytest.param("Schoolstr.", "1", "9000", id="abbreviated-street"),
        pytest.param("Schoolstraat 1", "", "9000", id="number-in-street"),
        pytest.param("9000", "1", "Schoolstraat", id="fields-swapped"),
    ],
)
def test_a_different_address_does_not_match(
    street: str, house_number: str, postal_code: str
) -> None:
    address = make_address()

    matches = address.matches(street, house_number, postal_code)

    assert not matches


def test_the_stored_letter_is_required_when_typed_without() -> None:
    address = make_address(house_number="1A")

    matches = address.matches("Schoolstraat", "1", "9000")

    assert not matches
