from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware

from board.auth import TokenBackend
from board.routes import routes

# AuthenticationMiddleware only identifies users: it rejects nobody.
app = Starlette(
    debug=False,
    routes=routes,
    middleware=[Middleware(AuthenticationMiddleware, backend=TokenBackend())],
)
