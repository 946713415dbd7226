"""Running the migrations, from the command line, the tests or a container job."""

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory


def alembic_config(database_url: str) -> Config:
    """Return the Alembic configuration for a database."""
    config = Config()
    config.set_main_option("script_location", str(files("ssm_api") / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database to a revision, the latest by default."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    """Take the database back to a revision, the empty one by default."""
    command.downgrade(alembic_config(database_url), revision)


def head_revision() -> str:
    """Return the latest revision the code knows."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None
    return head


def earlier_revisions() -> frozenset[str]:
    """Return every revision before the latest."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return frozenset(r.revision for r in script.walk_revisions()) - {head_revision()}
