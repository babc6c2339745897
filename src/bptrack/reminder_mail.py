"""Reminders by e-mail, through smtplib: one message per assignee's address.

An e-mail is recorded in `reminder_sent` in the same transaction that sends it: if sending
fails nothing is recorded, and a second run on the same day (even an overlapping one, which
waits for the first) sends nothing twice. Imported by `remind --email` only: smtplib and ssl
cost more than the whole text digest.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import ssl
import textwrap
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any, NamedTuple

from bptrack.clock import utcnow
from bptrack.errors import BptrackError, InvalidValue
from bptrack.remind import Digest, Group
from bptrack.store import queries
from bptrack.store.db import LOCKS, Conn, Database

SMTP_KEYS = {"host", "port", "starttls", "ssl", "username", "from", "password_file", "timeout"}

class SmtpSettings(NamedTuple):
    host: str
    port: int
    starttls: bool
    use_ssl: bool
    username: str | None
    sender: str
    password: str | None
    timeout: float


def smtp_settings(config: dict[str, Any]) -> SmtpSettings:
    """The [smtp] table of the config; the password only from a file or the environment."""
    unknown = set(config) - SMTP_KEYS
    if unknown:
        raise InvalidValue(f"unknown [smtp] setting {sorted(unknown)[0]!r}; known: "
                           f"{', '.join(sorted(SMTP_KEYS))}")
    if not config.get("host") or not config.get("from"):
        raise InvalidValue("e-mail needs [smtp] host and from in the config file "
                           "(see `bptrack remind --help`)")
    password = os.environ.get("BPTRACK_SMTP_PASSWORD")
    if password is None and config.get("password_file"):
        try:
            password = Path(str(config["password_file"])).expanduser().read_text().strip()
        except OSError as exc:
            raise InvalidValue(f"cannot read [smtp] password_file: {exc.strerror}") from exc
    use_ssl = bool(config.get("ssl", False))
    try:
        port = int(config.get("port", 465 if use_ssl else 587))
        timeout = float(config.get("timeout", 30))
    except (TypeError, ValueError) as exc:
        raise InvalidValue(f"invalid [smtp] port or timeout: {exc}") from exc
    return SmtpSettings(host=str(config["host"]), port=port,
                        starttls=bool(config.get("starttls", not use_ssl)), use_ssl=use_ssl,
                        username=config.get("username"), sender=str(config["from"]),
                        password=password, timeout=timeout)


def _line(value: Any) -> str:
    return " ".join(str(value).split())


def build_message(group: Group, sender: str, as_of: dt.date) -> EmailMessage:
    """One message listing a person's items; headers built from data cannot be injected."""
    assert group.email is not None
    message = EmailMessage()
    overdue = sum(1 for a in group.actions if a["overdue"])
    count = len(group.actions)
    soon = count - overdue

    def actions(n: int) -> str:
        return f"{n} action{'s' if n != 1 else ''}"

    message["Subject"] = (
        f"bptrack: {actions(count)}, {overdue} overdue and {soon} due soon" if overdue and soon
        else f"bptrack: {actions(overdue)} overdue" if overdue
        else f"bptrack: {actions(soon)} due soon")
    message["From"] = sender
    message["To"] = Address(display_name=_line(group.assignee or ""), addr_spec=group.email)
    message["Date"] = formatdate(usegmt=True)
    domain = group.email.rpartition("@")[2] if "@" not in sender else \
        sender.rpartition("@")[2].rstrip(">").strip()
    message["Message-ID"] = make_msgid("bptrack", domain=domain or None)
    message["Auto-Submitted"] = "auto-generated"  # auto-responders stay quiet (RFC 3834)
    # Lines kept short, so the body stays plain 7-bit or 8-bit text rather than encoded.
    lines = [f"Hello {_line(group.assignee)},", "",
             *textwrap.wrap("These Bali Process follow-up actions assigned to you are due or "
                            f"overdue as of {as_of.isoformat()}:", 72), ""]
    for action in group.actions:
        state = "OVERDUE" if action["overdue"] else "due"
        lines += textwrap.wrap(f"* {action['ref']} ({state} {action['due']}, "
                               f"{action['owner']}): {_line(action['title'])}", 72,
                               subsequent_indent="  ")
        if action.get("block_reason"):
            lines += textwrap.wrap(f"Blocked: {_line(action['block_reason'])}", 72,
                                   initial_indent="  ", subsequent_indent="  ")
        if action["source"]:
            lines += textwrap.wrap(f"Source: {_line(action['source'])}", 72,
                                   initial_indent="  ", subsequent_indent="  ")
        lines.append("")
    lines += ["Reply to the secretariat, or record progress with `bptrack note`.", ""]
    message.set_content("\n".join(lines), cte="quoted-printable")
    return message


@dataclass
class Sent:
    delivered: list[tuple[str, list[str]]] = field(default_factory=list)  # address, refs
    skipped: list[tuple[str, list[str]]] = field(default_factory=list)  # sent already today
    no_address: list[Group] = field(default_factory=list)
    previews: list[EmailMessage] = field(default_factory=list)  # on a dry run


def send_reminders(store: Database, found: Digest, config: dict[str, Any], *,
                   dry_run: bool = False) -> Sent:
    result = Sent(no_address=[g for g in found.groups if not g.email])
    with_address = by_address(found.groups)
    if not with_address:
        return result
    settings = None if dry_run else smtp_settings(config)
    sender = settings.sender if settings else str(config.get("from", "bptrack@localhost"))
    day = found.as_of
    connection: smtplib.SMTP | None = None
    try:
        for group in with_address:
            assert group.email is not None
            address = group.email.lower()
            if dry_run:
                with store.read() as conn:
                    pending = _pending(conn, group, address, day, result)
                if pending.actions:
                    result.previews.append(build_message(pending, sender, found.as_of))
                continue
            with store.write() as conn:
                conn.lock(LOCKS["reminders"])  # two runs of remind --email queue
                pending = _pending(conn, group, address, day, result)
                if not pending.actions:
                    continue
                message = build_message(pending, sender, found.as_of)
                queries.record_reminders(conn, [a["id"] for a in pending.actions], address,
                                         day, utcnow())
                if connection is None:
                    assert settings is not None
                    connection = _connect(settings)
                try:
                    connection.send_message(message)
                except (smtplib.SMTPException, OSError) as exc:
                    raise BptrackError(f"sending to {address} failed: {exc}; nothing was "
                                       "recorded for it, so the next run tries again") from exc
                result.delivered.append((address, [a["ref"] for a in pending.actions]))
    finally:
        if connection is not None:
            try:
                connection.quit()
            except (smtplib.SMTPException, OSError):
                connection.close()
    return result


def by_address(groups: list[Group]) -> list[Group]:
    """One group per e-mail address, whatever the spellings of the assignee ("Jane Doe
    <Jane@x.org>" and "J. Doe <jane@x.org>" get one message), in the digest's order."""
    merged: dict[str, Group] = {}
    for group in groups:
        if not group.email:
            continue
        key = group.email.lower()
        if key in merged:
            merged[key].actions.extend(group.actions)
        else:
            merged[key] = Group(group.key, group.assignee, group.email, group.owner,
                                list(group.actions))
    for group in merged.values():
        group.actions.sort(key=lambda a: (not a["overdue"], a["due"], a["id"]))
    return list(merged.values())


def _pending(conn: Conn, group: Group, address: str, day: dt.date, result: Sent) -> Group:
    """The group's actions not yet e-mailed to this address today."""
    done = queries.reminded(conn, [a["id"] for a in group.actions], address, day)
    if done:
        result.skipped.append((address, [a["ref"] for a in group.actions if a["id"] in done]))
    return Group(group.key, group.assignee, group.email, group.owner,
                 [a for a in group.actions if a["id"] not in done])


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    where = f"{settings.host}:{settings.port}"
    try:
        if settings.use_ssl:
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context)
        else:
            connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
            if settings.starttls:
                connection.starttls(context=context)
        if settings.username:
            if settings.password is None:
                raise BptrackError("[smtp] username is set but no password: set "
                                   "BPTRACK_SMTP_PASSWORD or [smtp] password_file")
            connection.login(settings.username, settings.password)
    except (smtplib.SMTPException, OSError) as exc:
        raise BptrackError(f"cannot send e-mail through {where}: {exc}; nothing was sent"
                           ) from exc
    return connection


def preview(message: EmailMessage) -> str:
    """A message as a person reads it: decoded headers, then the body."""
    head = "".join(f"{name}: {value}\n" for name, value in message.items()
                   if name in ("From", "To", "Subject"))
    return f"{head}\n{message.get_content()}"
