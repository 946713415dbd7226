"""Settings every service shares; each service adds its own under its own prefix."""

from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]

# Levels of assurance of the Belgian federal authentication service, weakest first.
FAS_ACR_LEVELS = [
    "urn:be:fedict:iam:fas:Level100",
    "urn:be:fedict:iam:fas:Level200",
    "urn:be:fedict:iam:fas:Level300",
    "urn:be:fedict:iam:fas:Level400",
    "urn:be:fedict:iam:fas:Level450",
    "urn:be:fedict:iam:fas:Level500",
]
ITSME_ACR = "urn:be:fedict:iam:fas:Level450"


class ServiceSettings(BaseSettings):
    """Configuration that each service reads from its own prefixed environment."""

    # A refusal must not quote the input it refuses: the input holds the secrets.
    model_config = SettingsConfigDict(hide_input_in_errors=True)

    environment: Environment = "development"
    log_format: Literal["json", "console"] | None = Field(
        default=None, description="Defaults to json in production, console elsewhere."
    )
    log_level: str = "INFO"
    log_hash_key: SecretStr = Field(
        default=SecretStr("insecure-log-hash-key"),
        description="Key of the HMAC that stands for national numbers in logs.",
    )
    oidc_issuer: str = "http://127.0.0.1:8000"
    oidc_jwks_url: str | None = Field(
        default=None, description="Read from the issuer's discovery document if unset."
    )
    oidc_audience: str = ""
    oidc_nrn_claim: str = "sub"
    oidc_minimum_acr: str = ITSME_ACR
    oidc_acr_levels: list[str] = Field(default_factory=lambda: list(FAS_ACR_LEVELS))
    jwks_max_age_seconds: float = 3600.0
    jwks_refresh_cooldown_seconds: float = 30.0
    max_body_bytes: int = 64 * 1024

    @property
    def effective_log_format(self) -> Literal["json", "console"]:
        """Return the configured log format, or the default of the environment."""
        if self.log_format is not None:
            return self.log_format
        return "json" if self.environment == "production" else "console"

    @model_validator(mode="after")
    def _refuse_placeholders_in_production(self) -> Self:
        if self.environment in {"development", "test"}:
            return self
        # Every secret's default is a development placeholder: outside development,
        # a secret left at its default is refused, so no deployment runs on one.
        left = [
            name
            for name, spec in type(self).model_fields.items()
            if isinstance(spec.default, SecretStr)
            and getattr(self, name) == spec.default
        ]
        if left:
            msg = f"set real secrets for: {', '.join(left)} (placeholders are refused)"
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _check_minimum_acr(self) -> Self:
        if self.oidc_minimum_acr not in self.oidc_acr_levels:
            msg = "oidc_minimum_acr must be one of oidc_acr_levels"
            raise ValueError(msg)
        return self
