"""Shop service: the application factory."""
from flask import Flask

from .extensions import db, limiter, login_manager


def create_app(config_object="shop.config.Config"):
    app = Flask(__name__)
    app.config.from_object(config_object)
    db.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    from .catalog.views import bp as catalog_bp
    from .cli import shop_cli
    from .clinic.views import bp as clinic_bp
    from .customers.views import bp as customers_bp

    app.register_blueprint(catalog_bp, url_prefix="/catalog")
    app.register_blueprint(customers_bp, url_prefix="/customers")
    app.register_blueprint(clinic_bp, url_prefix="/clinic")
    app.cli.add_command(shop_cli)
    return app
