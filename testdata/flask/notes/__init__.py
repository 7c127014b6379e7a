"""Notes service: the application factory."""
from flask import Flask

from .extensions import db, limiter, login_manager


def create_app(config_object="notes.config.Config"):
    app = Flask(__name__)
    app.config.from_object(config_object)

    db.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    # The register-time url_prefix replaces the blueprint's own "/auth".
    from .auth import bp as auth_bp
    app.register_blueprint(auth_bp, url_prefix="/account")

    from .notes.views import bp as notes_bp
    app.register_blueprint(notes_bp)

    from .admin import admin_bp, exports_bp, reports_bp
    app.register_blueprint(admin_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(exports_bp)

    from .api import api_bp
    app.register_blueprint(api_bp)

    from .restapi import rest_bp
    app.register_blueprint(rest_bp, url_prefix="/rest")

    register_probes(app)
    return app


def register_probes(app):
    @app.get("/health")
    def health():  # ok: api/unauthenticated-endpoint
        return {"status": "ok"}
