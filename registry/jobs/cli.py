"""`flask jobs work`: run queued background jobs in a process of their own.

The web process runs them in a thread of its own by default; an installation that prefers a
separate worker (e.g. under systemd next to gunicorn) runs this command, which loops over the
same queue. `flask import work` is the same command.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from registry.jobs import runner


@click.group("jobs", help="Công việc nền: nhập tệp lớn, in giấy chứng nhận hàng loạt.")
def jobs_cli() -> None:
    """Group of background job commands."""


@jobs_cli.command("work", help="Chạy các công việc nền đang chờ, lần lượt từng việc.")
@click.option("--once", is_flag=True, help="Dừng khi không còn việc nào đang chờ.")
@click.option("--poll", type=float, default=2.0, show_default=True,
              help="Số giây giữa hai lần xem hàng đợi khi không có việc.")
@with_appcontext
def work_command(once: bool, poll: float) -> None:
    """Run queued jobs until stopped (Ctrl-C), or until none is left with --once."""
    try:
        runner.work(current_app._get_current_object(), idle_exit=once, poll=poll)
    except KeyboardInterrupt:
        click.echo("Đã dừng.", err=True)
