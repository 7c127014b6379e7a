"""A Flask-RESTful API on its own blueprint (mounted at /rest)."""
from flask import Blueprint
from flask_login import login_required
from flask_restful import Api, Resource

from .. import services

rest_bp = Blueprint("rest", __name__)
api = Api(rest_bp, prefix="/v2")


class AuthenticatedResource(Resource):
    method_decorators = [login_required]


class NoteList(AuthenticatedResource):  # ok: api/unauthenticated-endpoint
    def get(self):
        return {"count": 0}

    def post(self):
        return {"created": True}, 201


class NoteStats(Resource):  # expect: api/unauthenticated-endpoint:warning, api/missing-rate-limit:warning
    # Forgot to derive from AuthenticatedResource like its siblings.
    def get(self):
        return {"recent": len(services.recent_notes())}


api.add_resource(NoteList, "/notes", endpoint="rest_notes")
api.add_resource(NoteStats, "/notes/stats", endpoint="rest_note_stats")
