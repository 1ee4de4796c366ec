"""The lifelong-learning registry: a Flask application built by create_app()."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from registry.assessment.cli import eligibility_cli
from registry.assessment.routes import bp as assessment_bp
from registry.auth.cli import users_cli
from registry.auth.routes import bp as auth_bp
from registry.auth.services import register_login_hooks
from registry.commendations.routes import bp as commendations_bp
from registry.config import load_config
from registry.db import configure_engine
from registry.demo.cli import demo_cli
from registry.enterprises.routes import bp as enterprises_bp
from registry.errors import register_error_handlers
from registry.exports.routes import bp as exports_bp
from registry.extensions import bootstrap, csrf, db, limiter, login, migrate
from registry.home.routes import bp as home_bp
from registry.imports.cli import import_cli
from registry.imports.routes import bp as imports_bp
from registry.jobs.cli import jobs_cli
from registry.learning.routes import bp as learning_bp
from registry.plans.routes import bp as plans_bp
from registry.recognition.cli import certificates_cli, decisions_cli
from registry.recognition.public import bp as verification_bp
from registry.recognition.routes import bp as recognition_bp
from registry.reports.cli import report_cli
from registry.reports.routes import bp as reports_bp
from registry.templating import register_template_helpers
from registry.units.cli import units_cli
from registry.units.routes import bp as units_bp
from registry.workers.routes import bp as workers_bp

ROOT = Path(__file__).resolve().parent.parent
BLUEPRINTS = (auth_bp, home_bp, units_bp, enterprises_bp, workers_bp, learning_bp, plans_bp,
              reports_bp, commendations_bp,
              assessment_bp, recognition_bp, verification_bp, imports_bp,
              exports_bp)
COMMANDS = (report_cli, units_cli, users_cli, demo_cli, import_cli, eligibility_cli, decisions_cli,
            certificates_cli, jobs_cli)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, commands, hooks."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_config(app, config)
    init_extensions(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    for group in COMMANDS:
        app.cli.add_command(group)
    register_error_handlers(app)
    register_login_hooks(app)
    register_template_helpers(app)
    return app


def init_extensions(app: Flask) -> None:
    """Bind the extensions created unbound in registry.extensions."""
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
