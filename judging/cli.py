"""Flask commands: accounts and the demo; areas add their own below."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from judging.extensions import db
from judging.models import Organisation, RoleGrant, User
from judging.passwords import password_problem
from judging.refusals import both


def register_commands(app: Flask) -> None:
    """Attach every command to ``flask --app judging``."""
    app.cli.add_command(create_user)
    app.cli.add_command(demo)
    app.cli.add_command(jobs)
    app.cli.add_command(mail_commands)
    from judging.results import commands as results_commands
    app.cli.add_command(results_commands.export_ranking)
    app.cli.add_command(results_commands.ranking)
    from judging.monev.commands import import_monev
    app.cli.add_command(import_monev)


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--admin", is_flag=True, help="Site administrator.")
@click.option("--organizer-of", "organisation", help="Organising body (name or code) to manage.")
def create_user(email, name, password, admin, organisation):
    """Create an account (optionally admin or organizer of an organising body)."""
    email = email.strip().lower()
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        raise click.ClickException(f"A user with e-mail {email} already exists.")
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise click.ClickException(both(*problem))
    user = User(email=email, name=name, is_admin=admin)
    user.set_password(password)
    db.session.add(user)
    if organisation:
        body = db.session.scalar(
            select(Organisation).where(
                (Organisation.code == organisation) | (Organisation.name == organisation)
            )
        )
        if body is None:
            body = Organisation(name=organisation, code=organisation[:20].upper())
            db.session.add(body)
        db.session.flush()
        db.session.add(RoleGrant(user=user, role="organizer", organisation_id=body.id))
    db.session.commit()
    click.echo(f"Created {email}{' (admin)' if admin else ''}.")


@click.command("demo")
@click.option("--once", is_flag=True, help="Do nothing when demo data is already there.")
@click.option("--upgrade", is_flag=True,
              help="First bring the database to the newest migration, as `flask db upgrade`.")
def demo(once, upgrade):
    """Load the IKP Fest demo: a competition, three categories, entrants and accounts."""
    from judging.demo import DEMO_PASSWORD, load_demo

    if upgrade:  # `make run` starts one process instead of two
        from judging.database import upgrade_if_needed

        upgrade_if_needed(current_app, any_database=True)
    if once and db.session.scalar(select(func.count()).select_from(Organisation)):
        click.echo("Demo data already loaded; nothing to do.")
        return
    logins = load_demo()
    from judging.urls import external_url

    click.echo(f"Demo loaded. Sign in at {external_url('auth.login')} with:")
    for role, email in logins:
        click.echo(f"  {role:<12} {email:<40} {DEMO_PASSWORD}")


jobs = AppGroup("jobs", help="Background jobs.")


@jobs.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
def worker(workers: int) -> None:
    """Run the job consumer until stopped (SIGTERM or Ctrl-C stops it cleanly)."""
    from judging.jobs import queue

    huey = queue(current_app._get_current_object())
    # periodic: the mail sweep (due reminders, retries) runs every ten minutes
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


mail_commands = AppGroup("mail", help="Outgoing e-mail.")


@mail_commands.command("sweep")
def mail_sweep() -> None:
    """Record due deadline reminders and send every waiting message now."""
    from judging.mail.sweep import sweep

    job = sweep()
    click.echo(f"Sent in job {job.id}: {job.message}" if job else "Nothing to send.")
