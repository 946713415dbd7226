"""Settings of MyHandicap, read from `MYHANDICAP_*` environment variables."""

from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from service_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    """Configure MyHandicap: its database, the identity provider and SSM."""

    model_config = SettingsConfigDict(env_prefix="MYHANDICAP_", extra="forbid")

    database_url: str = "sqlite+aiosqlite:///var/myhandicap.db"
    oidc_audience: str = "myhandicap-api"
    ssm_url: str = Field(
        default="http://127.0.0.1:8001",
        description="Base URL of SSM, asked for MYHANDICAP access decisions.",
    )
    ssm_deadline_seconds: float = Field(
        default=2.0,
        gt=0,
        description="Overall time for one question to SSM, token and retry included.",
    )
    token_url: str = Field(
        default="http://127.0.0.1:8000/token",
        description="Token endpoint for the service token (client credentials).",
    )
    client_id: str = "myhandicap-api"
    client_secret: SecretStr = SecretStr("myhandicap-api-secret")
    ssm_portal_url: str = Field(
        default="http://127.0.0.1:8001/v1/mandates/overview",
        description="Where a person manages his or her mandates in SSM.",
    )
    seed_demo: bool = Field(
        default=False,
        description="Migrate and load demo dossiers before serving (development).",
    )

    @model_validator(mode="after")
    def _demo_data_only_in_development(self) -> Self:
        if self.seed_demo and self.environment != "development":
            msg = "seed_demo is for development only"
            raise ValueError(msg)
        return self
