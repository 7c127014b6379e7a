from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from .auth import auth_bp
from .orders import orders_bp
from .admin import admin_bp
from .pages import pages_bp

limiter = Limiter(key_func=get_remote_address)


def create_app():
    app = Flask(__name__)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(orders_bp, url_prefix="/api/orders")
    app.register_blueprint(admin_bp)
    app.register_blueprint(pages_bp)
    limiter.init_app(app)

    @app.get("/healthz")
    def healthz():  # ok: api/unauthenticated-endpoint
        return {"status": "ok"}

    return app
