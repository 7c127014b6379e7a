from starlette.authentication import requires
from starlette.endpoints import HTTPEndpoint
from starlette.responses import JSONResponse, PlainTextResponse

from board import db


async def health(request):  # ok: api/unauthenticated-endpoint
    return PlainTextResponse("ok")


async def login(request):  # expect: api/missing-rate-limit:error
    form = await request.form()
    return JSONResponse({"token": form["username"]})


class PostList(HTTPEndpoint):
    # GET forgot @requires; POST has it: two routes, each reported at its method.
    async def get(self, request):  # expect: api/unauthenticated-endpoint:warning, api/missing-rate-limit:warning
        return JSONResponse(await db.list_posts())

    @requires("authenticated")
    async def post(self, request):  # ok: api/unauthenticated-endpoint  expect: api/missing-rate-limit:warning
        data = await request.json()
        await db.create_post(data["title"], request.user.display_name)
        return JSONResponse({"created": True}, status_code=201)


@requires(["authenticated", "admin"])
async def post_detail(request):  # ok: api/unauthenticated-endpoint
    return JSONResponse({"id": request.path_params["id"]})


async def report_post(request):  # expect: api/unauthenticated-endpoint:error
    return JSONResponse({"reported": request.path_params["id"]})
