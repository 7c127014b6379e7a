from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from redis import Redis

db = SQLAlchemy()
login_manager = LoginManager()
login_manager.login_view = "auth.login"

# No default limits: only what is limited explicitly is limited.
limiter = Limiter(key_func=get_remote_address)

cache = Redis()
