"""Alembic, driven from code: upgrade, downgrade and the head revision."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

SCRIPT_LOCATION = "myhandicap_api:migrations"


def alembic_config(url: str | None = None) -> Config:
    """Build the Alembic configuration, for a database URL when given."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    # New revisions are named by date and time, so the folder lists them in order.
    config.set_main_option(
        "file_template",
        "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d_%%(slug)s",
    )
    config.set_main_option("timezone", "UTC")
    # Passed as an attribute, not an option: options treat "%" as interpolation.
    config.attributes["database_url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database up to a revision, creating a SQLite file's folder."""
    _ensure_sqlite_folder(url)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    """Take the database down to a revision."""
    command.downgrade(alembic_config(url), revision)


def head_revision() -> str:
    """Return the revision the migrations end at."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        msg = "the migrations have no head revision"
        raise RuntimeError(msg)
    return head


def _ensure_sqlite_folder(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in {
        None,
        ":memory:",
    }:
        Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)


def earlier_revisions() -> frozenset[str]:
    """Return every revision before the latest."""
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(r.revision for r in script.walk_revisions()) - {head_revision()}
