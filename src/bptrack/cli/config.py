"""The settings file: where it is, what is in force, and changing one setting."""

from typing import Annotated, Literal

import typer

from bptrack.output import render

app = typer.Typer(help="Settings: where the file is, what is in force, and setting values.",
                  no_args_is_help=True, rich_markup_mode=None)

SETTING_COLUMNS = (("key", "Key"), ("value", "Value"), ("source", "From"))


def _keys(incomplete: str) -> list[tuple[str, str]]:
    from bptrack.config import KEYS

    return [(key, "") for key in KEYS if key.startswith(incomplete)]


@app.command("path")
def config_path() -> None:
    """Print where the config file is (or would be)."""
    from bptrack.config import config_path

    render.data_line(str(config_path()))


@app.command("show")
def config_show(
    fmt: Annotated[Literal["table", "json"], typer.Option(
        "--format", "-f", help="table or json.")] = "table",
) -> None:
    """The settings in force and where each comes from; secrets are masked."""
    from bptrack.config import effective_settings

    render.records(effective_settings(), SETTING_COLUMNS, fmt)


@app.command("set", short_help="Set KEY to VALUE in the config file.")
def config_set(
    key: Annotated[str, typer.Argument(metavar="KEY", autocompletion=_keys,
                                       help="e.g. actor, remind_within, smtp.host")],
    value: Annotated[str, typer.Argument(metavar="VALUE")],
) -> None:
    """Set KEY to VALUE in the config file (checked first; other lines are kept)."""
    from bptrack.config import set_setting

    path = set_setting(key, value)
    render.message(f"Set {key} in {path}.")
