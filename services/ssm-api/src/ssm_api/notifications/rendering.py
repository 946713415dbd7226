"""Mail texts from the Jinja2 templates under ssm_api/templates/mail, per language."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

from babel.dates import format_date
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ssm_api.domain.types import Language
from ssm_api.notifications.mail import MailKind

# Belgian conventions for the national languages; British for English.
LOCALES = {
    Language.NL: "nl_BE",
    Language.FR: "fr_BE",
    Language.DE: "de_BE",
    Language.EN: "en_GB",
}


@dataclass(frozen=True)
class Rendered:
    """A mail's subject line and its plain-text and HTML bodies."""

    subject: str
    text: str
    html: str


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("ssm_api", "templates/mail"),
        # Names and reasons are typed by citizens: HTML must escape them.
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def local_date(day: date | None, language: Language) -> str | None:
    """Write a date the way the language writes it in full, e.g. 3 december 2026."""
    if day is None:
        return None
    return format_date(day, format="long", locale=LOCALES[language])


def render(
    kind: MailKind, language: Language, context: Mapping[str, object]
) -> Rendered:
    """Render a mail of one kind in one language."""
    environment = _environment()
    values = {**context, "language": language.value}
    module = environment.get_template(f"{kind}.{language}.txt").make_module(values)
    # Header values may not span lines: a name with a line break would forge one.
    subject = " ".join(str(vars(module)["subject"]).split())
    html = environment.get_template(f"{kind}.{language}.html").render(
        values, subject=subject
    )
    return Rendered(subject=subject, text=str(module), html=html)
