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

    from .activity import bp as activity_bp
    from .backstage import bp as backstage_bp
    app.register_blueprint(backstage_bp)
    app.register_blueprint(activity_bp)

    from .restapi import rest_bp
    app.register_blueprint(rest_bp, url_prefix="/rest")

    register_probes(app)
    return app


def register_probes(app):
    @app.get("/health")
    def health():  # ok: api/unauthenticated-endpoint
        return {"status": "ok"}

    # Well-known URIs (RFC 8615) and the web app's manifest and service
    # worker are fetched by browsers and other servers before anyone signs in.
    @app.get("/.well-known/security.txt")
    def security_txt():  # ok: api/unauthenticated-endpoint
        return "Contact: mailto:security@example.com"

    @app.get("/manifest.webmanifest")
    def web_manifest():  # ok: api/unauthenticated-endpoint
        return {"name": "notes"}

    @app.get("/service-worker.js")
    def service_worker():  # ok: api/unauthenticated-endpoint
        return "self.addEventListener('fetch', () => {});"

    @app.get("/well-known-issues")
    def known_issues():  # expect: api/unauthenticated-endpoint:note
        # Only the `/.well-known/` directory is public by protocol.
        return {"issues": []}

    @app.post("/session/_logout")
    def underscore_logout():  # ok: api/unauthenticated-endpoint
        # CKAN's spelling of logout.
        return {"status": "signed out"}

    # Account activation from the e-mailed link, and python-social-auth's
    # begin/complete steps: the visitor is not signed in yet.
    @app.post("/auth/activate/<token>")
    def activate_account(token):  # ok: api/unauthenticated-endpoint
        return {"activated": True}

    @app.get("/oauth/begin/<backend>")
    def social_begin(backend):  # ok: api/unauthenticated-endpoint
        return {"redirect": backend}

    @app.post("/oauth/complete/<backend>")
    def social_complete(backend):  # ok: api/unauthenticated-endpoint
        return {"signed_in": True}

    @app.post("/users/<int:user_id>/activate")
    def activate_user(user_id):  # expect: api/unauthenticated-endpoint:error
        # An administrator's action on someone else's account.
        return {"activated": user_id}
