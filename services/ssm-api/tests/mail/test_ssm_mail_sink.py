import importlib.util
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from types import ModuleType

import aiosmtplib
import pytest
from aiosmtpd.controller import Controller

from .conftest import free_port

pytestmark = pytest.mark.anyio

TOOL = Path(__file__).resolve().parents[4] / "tools" / "mailsink.py"


def the_one_file(directory: Path) -> tuple[str, bytes]:
    (path,) = directory.glob("*.eml")
    return path.name, path.read_bytes()


@pytest.fixture(scope="module")
def mailsink() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mailsink", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_each_message_is_kept_as_an_eml_file(
    mailsink: ModuleType, tmp_path: Path
) -> None:
    port = free_port()
    controller = Controller(mailsink.Keeper(tmp_path), hostname="127.0.0.1", port=port)
    message = EmailMessage()
    message["From"] = "noreply@ssm.example"
    message["To"] = "jan@example.org"
    message["Subject"] = "Aanmaken van mandaat tussen Jane Doe en Jan Peters"
    message["Message-ID"] = "<1234@ssm.example>"
    message.set_content("Beste Jan Peters,")

    controller.start()
    try:
        await aiosmtplib.send(message, hostname="127.0.0.1", port=port)
    finally:
        controller.stop()

    name, content = the_one_file(tmp_path)
    assert name.endswith("-1234@ssm.example.eml")
    assert b"Beste Jan Peters," in content


def test_file_names_cannot_leave_the_directory(mailsink: ModuleType) -> None:
    at = datetime(2026, 12, 3, 11, tzinfo=UTC)

    name = mailsink.file_name("<../../etc/passwd@x>", at)
    nameless = mailsink.file_name("", at)

    assert "/" not in name
    assert name.startswith("20261203T110000000000Z-")
    assert nameless == "20261203T110000000000Z-no-message-id.eml"
