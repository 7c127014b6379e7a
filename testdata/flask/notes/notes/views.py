import secrets
from urllib.request import url2pathname, urlopen

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from .. import services
from ..extensions import cache
from ..security import owner_only, public

bp = Blueprint("notes", __name__, url_prefix="/notes")


@bp.get("/")
def index():  # expect: api/unauthenticated-endpoint:warning, api/missing-rate-limit:warning
    # Forgot @login_required: every other route of the blueprint has it.
    notes = services.recent_notes()
    return jsonify([n.body for n in notes])


@bp.post("/")
@login_required
def create_note():  # ok: api/unauthenticated-endpoint  expect: api/missing-rate-limit:warning
    note = services.save_note(current_user, request.json["body"])
    return jsonify(id=note.id), 201


@bp.get("/<int:note_id>")
@bp.get("/<int:note_id>/view")
@login_required
def show_note(note_id):
    return jsonify(id=note_id)


@login_required
@bp.post("/<int:note_id>/share")
def share_note(note_id):  # expect: api/unauthenticated-endpoint:error
    # @login_required above the route decorator: Flask registered the bare function.
    return jsonify(link=secrets.token_urlsafe(16))


@bp.route("/<int:note_id>/history")
@login_required
def note_history(note_id):  # ok: api/unauthenticated-endpoint
    # `route` without methods: GET.
    return jsonify([])


@bp.patch("/<int:note_id>")
@owner_only
def edit_note(note_id):  # ok: api/unauthenticated-endpoint
    return jsonify(id=note_id)


@public
@bp.get("/shared/<share_token>")
def view_shared(share_token):  # ok: api/unauthenticated-endpoint  expect: api/missing-rate-limit:warning
    return jsonify(body=services.note_by_share_token(share_token).body)


@login_required
def export_notes():
    return jsonify([])


bp.add_url_rule("/export", "export", export_notes, methods=["POST"])


@bp.get("/public/count")
def public_count():  # expect: api/unauthenticated-endpoint:note
    # Under a `public` segment: published on purpose, not a forgotten decorator.
    return jsonify(count=0)


@bp.get("/static/<path:name>")
def note_asset(name):  # ok: api/unauthenticated-endpoint
    return jsonify(asset=name)


@bp.get("/favicon.ico")
def favicon():  # ok: api/unauthenticated-endpoint
    return jsonify(icon=True)


@bp.get("/publications")
def publications():  # expect: api/unauthenticated-endpoint:warning
    # `publications` is no `public` segment.
    return jsonify([])


@bp.post("/<int:note_id>/forget")
@login_required
def forget_cached(note_id):  # ok: api/missing-rate-limit
    # A Redis pipeline's `execute` runs cache commands, not SQL.
    pipe = cache.pipeline()
    pipe.delete(f"note:{note_id}")
    pipe.execute()
    return jsonify(forgotten=note_id)


@bp.get("/<int:note_id>/file")
@login_required
def note_file(note_id):  # ok: api/missing-rate-limit
    # `url2pathname` converts a string: urllib.request, but no request.
    return jsonify(path=url2pathname(request.args["url"]))


@bp.get("/<int:note_id>/preview")
@login_required
def note_preview(note_id):  # expect: api/missing-rate-limit:warning
    with urlopen(request.args["url"]) as page:
        return jsonify(size=len(page.read()))
