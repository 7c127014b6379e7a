from flask import Blueprint, jsonify, request
from flask.views import MethodView, View
from flask_jwt_extended import jwt_required

from ..extensions import db, limiter
from ..models import Note
from .. import services

v1_bp = Blueprint("v1", __name__)


class NoteAPI(MethodView):  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    decorators = [jwt_required()]

    def get(self, note_id):
        return jsonify(body=Note.query.get_or_404(note_id).body)

    def put(self, note_id):
        note = Note.query.get_or_404(note_id)
        note.body = request.json["body"]
        db.session.commit()
        return jsonify(id=note.id)

    def delete(self, note_id):
        db.session.delete(Note.query.get_or_404(note_id))
        db.session.commit()
        return "", 204


class TagListAPI(MethodView):  # expect: api/unauthenticated-endpoint:error
    def get(self):
        return jsonify([])

    def post(self):
        return jsonify(created=True), 201


class Export(View):  # expect: api/unauthenticated-endpoint:error
    methods = ["POST"]

    def dispatch_request(self):
        return jsonify(queued=True)


@v1_bp.post("/webhooks/stripe")
@limiter.exempt
def stripe_webhook():  # expect: api/unauthenticated-endpoint:error, api/missing-rate-limit:warning
    services.save_note(None, request.get_data(as_text=True))
    return "", 204


@v1_bp.post("/search")
@limiter.shared_limit("30/minute", scope="search")
def search_notes():  # expect: api/unauthenticated-endpoint:error
    return jsonify(services.recent_notes())


v1_bp.add_url_rule("/notes/<int:note_id>", view_func=NoteAPI.as_view("note"))
v1_bp.add_url_rule("/tags", view_func=TagListAPI.as_view("tags"))
v1_bp.add_url_rule("/exports", view_func=Export.as_view("export"))
