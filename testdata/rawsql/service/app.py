"""The Flask application: every request needs the API key, and the limiter has defaults."""
import os

from flask import Flask, abort, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

app = Flask(__name__)
limiter = Limiter(get_remote_address, app=app, default_limits=["100 per minute"])


@app.before_request
def check_api_key():
    if request.headers.get("X-Api-Key") != os.environ["SHOP_API_KEY"]:
        abort(401)
