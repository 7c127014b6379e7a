"""JSON APIs."""
from flask_appbuilder.api import BaseApi, expose, protect
from flask_appbuilder.security.decorators import has_access_api


class StockApi(BaseApi):
    resource_name = "stock"

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    def get(self, pk):  # ok: api/unauthenticated-endpoint
        return self.response(200, id=pk)

    @expose("/<int:pk>", methods=["DELETE"])
    @has_access_api
    def delete(self, pk):  # ok: api/unauthenticated-endpoint
        return self.response(200)

    @expose("/import/", methods=["POST"])
    def import_(self):  # expect: api/unauthenticated-endpoint:error
        return self.response(201)


class StatusApi(BaseApi):
    """`/api/v1/statusapi/health`: a health probe, public by default."""

    @expose("/health")
    def health(self):  # ok: api/unauthenticated-endpoint
        return self.response(200, status="ok")
