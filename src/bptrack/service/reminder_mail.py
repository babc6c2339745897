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
from email.policy import default
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any, NamedTuple

from bptrack.clock import utcnow
from bptrack.errors import BptrackError, InvalidValue
from bptrack.service.reminders import Digest, Group
from bptrack.store import queries
from bptrack.store.db import LOCKS, Conn, Database

SMTP_KEYS = {"host", "port", "starttls", "ssl", "username", "from", "password_file", "timeout",
             "allow_plaintext"}
# Header folding leaves the To line as we wrote it: a display name encoded here is never
# decoded and folded again into header text.
_POLICY = default.clone(refold_source="none")

class SmtpSettings(NamedTuple):
    host: str
    port: int
    starttls: bool
    use_ssl: bool
    username: str | None
    sender: str
    password: str | None
    timeout: float
    allow_plaintext: bool = False  # AUTH over a connection without TLS to another host


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
        from bptrack.inputs import decode, read_bytes

        path = str(Path(str(config["password_file"])).expanduser())
        try:
            password = decode(read_bytes(path, 4096, "password file"), path).strip()
        except BptrackError as exc:
            raise InvalidValue(f"cannot read [smtp] password_file: {exc}") from exc
    use_ssl = bool(config.get("ssl", False))
    try:
        port = int(config.get("port", 465 if use_ssl else 587))
        timeout = float(config.get("timeout", 30))
    except (TypeError, ValueError) as exc:
        raise InvalidValue(f"invalid [smtp] port or timeout: {exc}") from exc
    return SmtpSettings(host=str(config["host"]), port=port,
                        starttls=bool(config.get("starttls", not use_ssl)), use_ssl=use_ssl,
                        username=config.get("username"), sender=str(config["from"]),
                        password=password, timeout=timeout,
                        allow_plaintext=bool(config.get("allow_plaintext", False)))


def _line(value: Any) -> str:
    return " ".join(str(value).split())


class Letter(NamedTuple):
    """How the reminders are written: whose forum, the window they look ahead, the closing
    lines, and whether the readers use bptrack themselves (the config's [remind])."""

    forum: str = "Bali Process"
    within: int = 14
    signature: str | None = None
    audience: str = "focal_points"  # or "users": they are told the commands to use


def letter(config: dict[str, Any], forum: str, within: int) -> Letter:
    unknown = set(config) - {"signature", "audience"}
    if unknown:
        raise InvalidValue(f"unknown [remind] setting {sorted(unknown)[0]!r}; known: audience, "
                           "signature")
    return Letter(forum, within, config.get("signature"),
                  str(config.get("audience", "focal_points")))


def _count(n: int) -> str:
    return f"{n} action{'s' if n != 1 else ''}"


def subject_of(overdue: int, soon: int, writing: Letter) -> str:
    """"Bali Process: 2 actions overdue, 1 due in 14 days": the forum, then what is due."""
    window = "due today" if writing.within == 0 else (
        f"due in {writing.within} day{'s' if writing.within != 1 else ''}")
    if overdue and soon:
        what = f"{_count(overdue)} overdue, {soon} {window}"
    elif overdue:
        what = f"{_count(overdue)} overdue"
    else:
        what = f"{_count(soon)} {window}"
    return f"{writing.forum}: {what}"


def build_message(group: Group, sender: str, as_of: dt.date,
                  writing: Letter | None = None) -> EmailMessage:
    """One message listing a person's items, in plain text and simple HTML, written for
    whoever receives it; headers built from data cannot be injected."""
    assert group.email is not None
    writing = writing or Letter()
    message = EmailMessage(policy=_POLICY)
    overdue = sum(1 for a in group.actions if a["overdue"])
    message["Subject"] = subject_of(overdue, len(group.actions) - overdue, writing)
    sender_name, sender_address = parseaddr(sender)
    _set_address(message, "From", sender_name, sender_address or sender)
    _set_address(message, "To", group.assignee or "", group.email)
    message["Date"] = formatdate(usegmt=True)
    domain = group.email.rpartition("@")[2] if "@" not in sender else \
        sender.rpartition("@")[2].rstrip(">").strip()
    message["Message-ID"] = make_msgid("bptrack", domain=domain or None)
    message["Auto-Submitted"] = "auto-generated"  # auto-responders stay quiet (RFC 3834)
    reply_to = _line(sender_name or sender_address or sender)
    intro = (f"These {writing.forum} follow-up actions assigned to you are overdue or due "
             f"within {writing.within} days, as of {as_of.isoformat()}:")
    closing = (f"Please reply to this e-mail ({reply_to}) with any progress, or to say if an "
               "action is no longer yours.")
    commands = ("You can also record progress yourself: `bptrack note REF TEXT`, or "
                "`bptrack close REF` when it is done.") if writing.audience == "users" else None
    message.set_content(_plain(group, intro, closing, commands, writing.signature),
                        cte="quoted-printable")
    message.add_alternative(_html(group, intro, closing, commands, writing.signature),
                            subtype="html", cte="quoted-printable")
    # A boundary from the content, not random: a dry run shows the very message sent.
    import hashlib

    plain = message.get_body(("plain",))
    assert plain is not None
    digest = hashlib.sha256(plain.as_bytes()).hexdigest()[:24]
    message.set_boundary(f"bptrack-{digest}")
    return message


def _facts(action: dict[str, Any]) -> str:
    state = "OVERDUE" if action["overdue"] else "due"
    return f"{action['ref']} ({state} {action['due']}, {action['owner']})"


def _plain(group: Group, intro: str, closing: str, commands: str | None,
           signature: str | None) -> str:
    # Lines kept short, so the body stays plain 7-bit or 8-bit text rather than encoded.
    lines = [f"Hello {_line(group.assignee)},", "", *textwrap.wrap(intro, 72), ""]
    for action in group.actions:
        lines += textwrap.wrap(f"* {_facts(action)}: {_line(action['title'])}", 72,
                               subsequent_indent="  ")
        details = [(label, action.get(key)) for label, key in (
            ("Meeting", "meeting"), ("Blocked", "block_reason"), ("Source", "source"))]
        for label, value in details:
            if value:
                lines += textwrap.wrap(f"{label}: {_line(value)}", 72, initial_indent="  ",
                                       subsequent_indent="  ")
        lines.append("")
    lines += [*textwrap.wrap(closing, 72), ""]
    if commands:
        lines += [*textwrap.wrap(commands, 72), ""]
    if signature:
        lines += ["-- ", *textwrap.wrap(_line(signature), 72)]
    return "\n".join(lines) + "\n"


def _html(group: Group, intro: str, closing: str, commands: str | None,
          signature: str | None) -> str:
    from html import escape

    def e(value: Any) -> str:
        return escape(_line(value), quote=True)

    items = []
    for action in group.actions:
        details = "".join(f"<br>{label}: {e(action[key])}" for label, key in (
            ("Meeting", "meeting"), ("Blocked", "block_reason")) if action.get(key))
        source = (f'<br><i>Source: {e(action["source"])}</i>' if action.get("source") else "")
        items.append(f"<li><b>{e(_facts(action))}</b>: {e(action['title'])}{details}{source}"
                     "</li>")
    parts = [f"<p>Hello {e(group.assignee)},</p>", f"<p>{e(intro)}</p>",
             f"<ul>{''.join(items)}</ul>", f"<p>{e(closing)}</p>"]
    if commands:
        parts.append(f"<p>{e(commands)}</p>")
    if signature:
        parts.append(f"<p>-- <br>{e(signature)}</p>")
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
            + "".join(parts) + "</body></html>\n")


def _set_address(message: EmailMessage, header: str, name: str, address: str) -> None:
    """A From or To header from a display name and an address, never from text to parse:
    control characters are dropped, and a name that holds encoded-word syntax (=?…?=) is
    encoded whole, so that what a reader sees decoded is exactly the name as stored."""
    display = " ".join("".join(c for c in name if c.isprintable()).split())
    if display == address:
        display = ""
    if "=?" in display:
        from email.header import Header

        message.set_raw(header, f"{Header(display, 'utf-8').encode()} <{address}>")
    else:
        message[header] = Address(display_name=display, addr_spec=address)


@dataclass
class Sent:
    delivered: list[tuple[str, list[str]]] = field(default_factory=list)  # address, refs
    skipped: list[tuple[str, list[str]]] = field(default_factory=list)  # sent already today
    no_address: list[Group] = field(default_factory=list)
    previews: list[EmailMessage] = field(default_factory=list)  # on a dry run


def send_reminders(store: Database, found: Digest, config: dict[str, Any], *,
                   dry_run: bool = False, remind: dict[str, Any] | None = None,
                   forum: str = "Bali Process") -> Sent:
    """E-mail each address its pending actions (`config`: the [smtp] table; `remind`: the
    [remind] table, how they are written), or on a dry run make the messages only."""
    result = Sent(no_address=[g for g in found.groups if not g.email])
    with_address = by_address(found.groups)
    if not with_address:
        return result
    settings = None if dry_run else smtp_settings(config)
    if settings is None and not config.get("from"):
        raise InvalidValue("e-mail needs [smtp] from, the address the reminders come from and "
                           "replies go to: bptrack config set smtp.from 'Name <address>'")
    sender = settings.sender if settings else str(config["from"])
    writing = letter(remind or {}, forum, found.within)
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
                    result.previews.append(build_message(pending, sender, found.as_of, writing))
                continue
            with store.write() as conn:
                conn.lock(LOCKS["reminders"])  # two runs of remind --email queue
                pending = _pending(conn, group, address, day, result)
                if not pending.actions:
                    continue
                message = build_message(pending, sender, found.as_of, writing)
                queries.record_reminders(conn, [a["id"] for a in pending.actions], address,
                                         day, utcnow())
                if connection is None:
                    assert settings is not None
                    connection = _connect(settings)
                try:
                    # The envelope names the one address: no header can add a recipient
                    connection.send_message(message, to_addrs=[group.email])
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


def _loopback(host: str) -> bool:
    import ipaddress

    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    where = f"{settings.host}:{settings.port}"
    if (settings.username and not (settings.use_ssl or settings.starttls)
            and not settings.allow_plaintext and not _loopback(settings.host)):
        raise BptrackError(f"refusing to send the SMTP password to {where} without TLS: set "
                           "[smtp] starttls = true (or ssl = true), or, on a network you "
                           "trust, smtp.allow_plaintext = true; nothing was sent")
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
    """A message exactly as it would go on the wire (headers encoded, body quoted-printable):
    what `--dry-run` shows, so that nothing in it is hidden by decoding."""
    return message.as_bytes(policy=_POLICY.clone(linesep="\n")).decode("ascii", "replace")
