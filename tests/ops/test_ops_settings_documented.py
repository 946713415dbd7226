"""Every setting an operator can give is in the README's configuration table."""

import re
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from identity_stub.config import Settings as StubSettings
from myhandicap_api.config import Settings as MyHandicapSettings
from service_kit.settings import ServiceSettings
from ssm_api.config import Settings as SsmSettings

README = Path(__file__).resolve().parents[2] / "README.md"
SHARED = set(ServiceSettings.model_fields)


def documented() -> set[str]:
    cells = re.findall(r"^\| `([A-Z_]+)`(?: / `([A-Z_]+)`)?", README.read_text(), re.M)
    return {name for pair in cells for name in pair if name}


@pytest.mark.parametrize(
    ("settings", "prefix"),
    [
        (SsmSettings, "SSM_"),
        (MyHandicapSettings, "MYHANDICAP_"),
        (StubSettings, "IDP_"),
    ],
)
def test_every_setting_is_in_the_configuration_table(
    settings: type[BaseSettings], prefix: str
) -> None:
    names = documented()

    missing = [
        f"{prefix}{field.upper()}"
        for field in settings.model_fields
        if f"{prefix}{field.upper()}" not in names
        and not (field in SHARED and field.upper() in names)
    ]

    assert missing == []
