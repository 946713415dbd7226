from email.message import EmailMessage

import pytest

from identity_stub.testing import TokenMinter

from ..support import JAN, JANE, act, bearer, create_mandate, mandate_body, sign
from .conftest import Harness, SmtpServer

pytestmark = pytest.mark.anyio

JANE_MAIL = "jane@example.org"
JAN_MAIL = "jan@example.org"
BOTH = {"initiator_email": JANE_MAIL, "counterparty_email": JAN_MAIL}


def text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def html_of(message: EmailMessage) -> str:
    body = message.get_body(("html",))
    assert body is not None
    return str(body.get_content())


async def test_creating_invites_the_counterparty_and_confirms_to_the_initiator(
    mail: Harness, smtp: SmtpServer, minter: TokenMinter
) -> None:
    created = await create_mandate(mail.client, minter, **BOTH)

    await mail.dispatch()

    (invitation,) = smtp.sink.to(JAN_MAIL)
    (confirmation,) = smtp.sink.to(JANE_MAIL)
    assert len(smtp.sink.received) == 2
    assert invitation["From"] == "noreply@ssm.example"
    assert invitation["Subject"] == "Aanmaken van mandaat tussen Jane Doe en Jan Peters"
    assert invitation["Auto-Submitted"] == "auto-generated"
    assert invitation["Message-ID"].endswith("@ssm.example>")
    link = f"https://ssm.example/v1/mandates/{created['id']}"
    assert link in text_of(invitation)
    assert f'href="{link}"' in html_of(invitation)
    assert "Beste Jan Peters," in text_of(invitation)
    assert confirmation["Subject"] == (
        "Bevestiging: mandaat tussen Jane Doe en Jan Peters aangemaakt"
    )
    assert "per e-mail gevraagd" in text_of(confirmation)


@pytest.mark.parametrize(
    ("language", "subject", "start"),
    [
        ("nl", "Aanmaken van mandaat tussen Jane Doe en Jan Peters", "3 december 2026"),
        ("fr", "Création d'un mandat entre Jane Doe et Jan Peters", "3 décembre 2026"),
        (
            "de",
            "Erstellung eines Mandats zwischen Jane Doe und Jan Peters",
            "3. Dezember 2026",
        ),
        (
            "en",
            "Creation of a mandate between Jane Doe and Jan Peters",
            "3 December 2026",
        ),
    ],
)
async def test_the_invitation_is_in_the_mandates_language(
    mail: Harness,
    smtp: SmtpServer,
    minter: TokenMinter,
    language: str,
    subject: str,
    start: str,
) -> None:
    await create_mandate(
        mail.client, minter, language=language, counterparty_email=JAN_MAIL
    )

    await mail.dispatch()

    (invitation,) = smtp.sink.received
    assert invitation["To"] == JAN_MAIL
    assert invitation["Subject"] == subject
    assert invitation["Content-Language"] == language
    assert start in text_of(invitation)
    assert start in html_of(invitation)
    assert f'<html lang="{language}">' in html_of(invitation)


@pytest.mark.parametrize(
    ("language", "subject", "end"),
    [
        ("nl", "Mandaat tussen Jane Doe en Jan Peters loopt af op", "1 maart 2027"),
        ("fr", "Le mandat entre Jane Doe et Jan Peters prend fin le", "1 mars 2027"),
        ("de", "Mandat zwischen Jane Doe und Jan Peters endet am", "1. März 2027"),
        ("en", "Mandate between Jane Doe and Jan Peters ends on", "1 March 2027"),
    ],
)
async def test_the_reminder_writes_the_end_date_the_languages_way(
    mail: Harness,
    smtp: SmtpServer,
    minter: TokenMinter,
    language: str,
    subject: str,
    end: str,
) -> None:
    created = await create_mandate(
        mail.client, minter, language=language, end_date="2027-03-01", **BOTH
    )
    await sign(mail.client, minter, created["id"])
    await mail.dispatch()
    smtp.sink.received.clear()
    mail.clock.current = mail.clock.current.replace(year=2027, month=2, day=20)

    await mail.dispatch()

    assert sorted(m["To"] for m in smtp.sink.received) == [JAN_MAIL, JANE_MAIL]
    assert {m["Subject"] for m in smtp.sink.received} == {f"{subject} {end}"}
    assert all(end in text_of(m) for m in smtp.sink.received)


async def test_without_addresses_no_mail_is_queued(
    mail: Harness, smtp: SmtpServer, minter: TokenMinter
) -> None:
    created = await create_mandate(mail.client, minter)
    await sign(mail.client, minter, created["id"])

    outcome = await mail.dispatch()

    assert outcome.taken == 0
    assert smtp.sink.received == []
    assert await mail.contacts() == 0


async def test_the_initiator_without_the_counterpartys_address_is_told_to_tell(
    mail: Harness, smtp: SmtpServer, minter: TokenMinter
) -> None:
    await create_mandate(mail.client, minter, language="en", initiator_email=JANE_MAIL)

    await mail.dispatch()

    (confirmation,) = smtp.sink.received
    assert confirmation["To"] == JANE_MAIL
    assert "Please let Jan Peters know" in text_of(confirmation)


async def test_signing_tells_the_initiator_only(
    mail: Harness, smtp: SmtpServer, minter: TokenMinter
) -> None:
    created = await create_mandate(mail.client, minter, **BOTH)
    await mail.dispatch()
    smtp.sink.received.clear()

    await sign(mail.client, minter, created["id"])
    await mail.dispatch()

    (signed,) = smtp.sink.received
    assert signed["To"] == JANE_MAIL
    assert signed["Subject"] == "Mandaat tussen Jane Doe en Jan Peters ondertekend"
    assert "Het mandaat geldt vanaf 3 december 2026." in text_of(signed)


@pytest.mark.parametrize(
    ("action", "actor", "told", "subject", "line"),
    [
        (
            "refuse",
            JAN,
            JANE_MAIL,
            "Mandate between Jane Doe and Jan Peters refused",
            "Reason: liever niet",
        ),
        (
            "withdraw",
            JANE,
            JAN_MAIL,
            "Mandate between Jane Doe and Jan Peters withdrawn",
            "Jane Doe has withdrawn the mandate",
        ),
    ],
)
async def test_refusing_and_withdrawing_tell_the_other_party(
    mail: Harness,
    smtp: SmtpServer,
    minter: TokenMinter,
    action: str,
    actor: str,
    told: str,
    subject: str,
    line: str,
) -> None:
    created = await create_mandate(mail.client, minter, language="en", **BOTH)
    await mail.dispatch()
    smtp.sink.received.clear()

    response = await act(mail.client, minter, created["id"], action, actor)
    await mail.dispatch()

    assert response.status_code == 200, response.text
    (told_mail,) = smtp.sink.received
    assert told_mail["To"] == told
    assert told_mail["Subject"] == subject
    assert line in text_of(told_mail)


@pytest.mark.parametrize(("stopper", "told"), [(JANE, JAN_MAIL), (JAN, JANE_MAIL)])
async def test_stopping_tells_the_party_that_did_not_stop_with_the_reason(
    mail: Harness, smtp: SmtpServer, minter: TokenMinter, stopper: str, told: str
) -> None:
    created = await create_mandate(mail.client, minter, language="fr", **BOTH)
    await sign(mail.client, minter, created["id"])
    await mail.dispatch()
    smtp.sink.received.clear()

    await act(mail.client, minter, created["id"], "stop", stopper)
    await mail.dispatch()

    (stopped,) = smtp.sink.received
    assert stopped["To"] == told
    assert stopped["Subject"] == "Fin du mandat entre Jane Doe et Jan Peters"
    assert "le 3 décembre 2026" in text_of(stopped)
    assert "Motif : verhuisd" in text_of(stopped)
    assert "Motif : verhuisd" in html_of(stopped)


async def test_names_are_escaped_in_html_but_not_in_text(
    mail: Harness, smtp: SmtpServer, minter: TokenMinter
) -> None:
    created = await create_mandate(mail.client, minter, language="en", **BOTH)
    await sign(mail.client, minter, created["id"])
    await mail.dispatch()
    smtp.sink.received.clear()

    await act(
        mail.client,
        minter,
        created["id"],
        "stop",
        JAN,
        {"accept_conditions": True, "reason": "<b>moved</b> & gone"},
    )
    await mail.dispatch()

    (stopped,) = smtp.sink.received
    assert "Reason: <b>moved</b> & gone" in text_of(stopped)
    assert "Reason: &lt;b&gt;moved&lt;/b&gt; &amp; gone" in html_of(stopped)


@pytest.mark.parametrize(
    "address", ["not-an-address", "jan@", "@example.org", "jan peters@example.org"]
)
@pytest.mark.parametrize("field", ["initiator_email", "counterparty_email"])
async def test_an_invalid_address_is_422_and_nothing_is_created(
    mail: Harness, minter: TokenMinter, field: str, address: str
) -> None:
    response = await mail.client.post(
        "/v1/mandates",
        json=mandate_body(**{field: address}),
        headers=bearer(minter, JANE),
    )

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert await mail.outbox() == []
    assert await mail.contacts() == 0


async def test_a_retried_creation_sends_no_second_mail(
    mail: Harness, smtp: SmtpServer, minter: TokenMinter
) -> None:
    headers = bearer(minter, JANE) | {"Idempotency-Key": "once"}
    body = mandate_body(**BOTH)

    first = await mail.client.post("/v1/mandates", json=body, headers=headers)
    again = await mail.client.post("/v1/mandates", json=body, headers=headers)
    await mail.dispatch()

    assert first.json()["id"] == again.json()["id"]
    assert len(smtp.sink.received) == 2


async def test_a_refused_transition_queues_no_mail(
    mail: Harness, smtp: SmtpServer, minter: TokenMinter
) -> None:
    created = await create_mandate(mail.client, minter, **BOTH)
    await mail.dispatch()
    smtp.sink.received.clear()

    response = await act(mail.client, minter, created["id"], "sign", JANE)
    await mail.dispatch()

    assert response.status_code == 409
    assert smtp.sink.received == []
