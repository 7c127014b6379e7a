"""Database helpers used by the routes."""
from sqlalchemy.orm import Session

from app.core.security import verify_password
from app.models import Item, User


def list_items(session: Session, skip: int = 0, limit: int = 100):
    return session.query(Item).offset(skip).limit(limit).all()


def create_item(session: Session, title: str, owner_id: int) -> Item:
    item = Item(title=title, owner_id=owner_id)
    session.add(item)
    session.commit()
    return item


def list_users(session: Session, skip: int = 0, limit: int = 100):
    return session.query(User).offset(skip).limit(limit).all()


def authenticate(session: Session, email: str, password: str):
    user = session.query(User).filter(User.email == email).first()
    if user is None or not verify_password(password, user.hashed_password):
        return None
    return user


def deactivate(session: Session, user_id: int) -> None:
    session.query(User).filter(User.id == user_id).update({"is_active": False})
    session.commit()


def record_payment(session: Session, payload: dict) -> None:
    session.execute("INSERT INTO payments (payload) VALUES (:p)", {"p": str(payload)})
    session.commit()
