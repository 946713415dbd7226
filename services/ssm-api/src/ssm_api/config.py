"""SSM settings, read from SSM_-prefixed environment variables."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from service_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    """Everything an operator can set for SSM."""

    model_config = SettingsConfigDict(env_prefix="SSM_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///var/ssm.db"
    oidc_audience: str = "ssm-api"
    register_url: str = Field(
        default="http://127.0.0.1:8000/register",
        description="Base URL of the national register; /persons/{nrn} is asked.",
    )
    token_url: str = "http://127.0.0.1:8000/token"  # noqa: S105 - a URL
    client_id: str = "ssm-api"
    client_secret: SecretStr = SecretStr("ssm-api-secret")
    register_timeout_seconds: float = 5.0
    pending_expiry_days: int = Field(default=30, ge=1)
    search_rate_limit: int = Field(default=10, ge=1, description="Searches per window.")
    search_rate_window_seconds: float = Field(default=60.0, gt=0)
    public_base_url: str = Field(
        default="http://127.0.0.1:8001",
        description="Where citizens reach SSM; links in mails point there.",
    )
    mail_from: str = Field(
        default="noreply@ssm.example",
        pattern=r"^[^@\s]+@[^@\s]+$",
        description="Sender of every mail; its domain also names the Message-IDs.",
    )
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=1025, ge=1, le=65535)
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    smtp_starttls: bool = Field(
        default=False, description="Require STARTTLS before sending anything."
    )
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    mail_dispatcher_enabled: bool = Field(
        default=True, description="Send the outbox from inside the API process."
    )
    mail_poll_seconds: float = Field(default=5.0, gt=0)
    mail_batch_size: int = Field(default=50, ge=1)
    mail_max_attempts: int = Field(default=10, ge=1)
    mail_retry_base_seconds: float = Field(default=30.0, gt=0)
    mail_retry_max_seconds: float = Field(default=3600.0, gt=0)
    mail_claim_seconds: float = Field(
        default=300.0,
        gt=0,
        description="How long a dispatcher holds the messages it took before "
        "another may take them.",
    )
    mail_housekeeping_seconds: float = Field(
        default=600.0, gt=0, description="How often reminders and erasure run."
    )
    reminder_days_before_end: int = Field(default=14, ge=1)
    email_retention_days: int = Field(
        default=30,
        ge=0,
        description="Days after a mandate became final that its addresses are kept.",
    )

    @property
    def mail_domain(self) -> str:
        """Return the domain of the sender address."""
        return self.mail_from.rpartition("@")[2]
