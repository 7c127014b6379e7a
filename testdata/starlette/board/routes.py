from starlette.routing import Mount, Route

from board.admin import admin_app
from board.endpoints import health, login, post_detail, PostList, report_post

api_routes = [
    Route("/posts", PostList),
    Route("/posts/{id:int}", post_detail, methods=["GET", "DELETE"]),
    Route("/posts/{id:int}/report", report_post, methods=["POST"]),
]

routes = [
    Route("/health", health),
    Route("/login", endpoint=login, methods=["POST"]),
    Mount("/api", routes=api_routes),
    Mount("/admin", app=admin_app),
]
