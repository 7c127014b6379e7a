from flask import Blueprint

from ..extensions import limiter
from .v1 import v1_bp

api_bp = Blueprint("api", __name__, url_prefix="/api")
# Nested blueprint: its routes live under /api/v1.
api_bp.register_blueprint(v1_bp, url_prefix="/v1")
limiter.limit("300/hour")(api_bp)
