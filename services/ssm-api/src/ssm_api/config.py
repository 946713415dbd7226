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
