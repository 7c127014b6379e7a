"""Queries shared by the views."""
from .extensions import db
from .models import Note, User


def recent_notes(limit=20):
    return Note.query.order_by(Note.id.desc()).limit(limit).all()


def save_note(owner, body):
    note = Note(owner_id=owner.id, body=body)
    db.session.add(note)
    db.session.commit()
    return note


def note_by_share_token(token):
    return Note.query.filter_by(share_token=token).first_or_404()


def ban_user(user_id):
    user = User.query.get_or_404(user_id)
    db.session.delete(user)
    db.session.commit()
