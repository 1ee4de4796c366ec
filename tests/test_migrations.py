"""The migration chain: empty → head, one step down and up again, and models in step."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from registry.extensions import db
from tests.conftest import fresh_app


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def previous_revision() -> str:
    """The revision just below head."""
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    return script.get_revision(script.get_current_head()).down_revision


def test_upgrade_downgrade_and_upgrade_again(database):
    """From an empty database to head (every model's table), one step down to exactly the
    tables of the revision below, and back up."""
    with fresh_app(database, "migrations") as app, app.app_context():
        assert tables() == set()
        previous = previous_revision()
        upgrade(revision=previous)
        before = tables()
        upgrade()
        head = revision()
        assert tables() == set(db.metadata.tables)
        downgrade(revision="-1")
        assert revision() == previous != head
        assert tables() == before
        upgrade()
        assert revision() == head
        assert tables() == set(db.metadata.tables)
        db.engine.dispose()


def test_models_match_the_migrations(database):
    """Autogenerate finds nothing to add: the models and the migrations agree (flask db check)."""
    with fresh_app(database, "models") as app:
        with app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                assert compare_metadata(context, db.metadata) == []
        result = app.test_cli_runner().invoke(args=["db", "check"])
        assert result.exit_code == 0, result.output
