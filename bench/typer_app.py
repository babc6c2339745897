"""A small Typer app shaped like a bptrack command (annotated options: an int with a range, a
Literal choice, a repeatable str, an argument), run once: what Typer itself costs a command.
bench/run.py runs it under the installed Typer and under Typer 0.29."""

from typing import Annotated, Literal

import typer

app = typer.Typer(add_completion=False)


@app.command("list")
def list_actions(
    owner: Annotated[str | None, typer.Option("--owner", "-o")] = None,
    status: Annotated[list[str] | None, typer.Option("--status", "-s")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=0)] = None,
    fmt: Annotated[Literal["table", "json"], typer.Option("--format")] = "table",
) -> None:
    """List actions."""


@app.command()
def show(action_id: Annotated[str, typer.Argument()]) -> None:
    """Show one action."""


if __name__ == "__main__":
    app(["list", "--owner", "RSO", "--status", "open", "--limit", "5", "--format", "json"])
