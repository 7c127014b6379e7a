from starlette.authentication import AuthCredentials, AuthenticationBackend, SimpleUser


class TokenBackend(AuthenticationBackend):
    async def authenticate(self, conn):
        token = conn.headers.get("Authorization", "").removeprefix("Bearer ")
        if not token:
            return None
        return AuthCredentials(["authenticated"]), SimpleUser(token)
