from fastapi import APIRouter, Depends, Security
from fastapi_limiter.depends import RateLimiter

from app import crud
from app.api.deps import (
    CurrentUser,
    SessionDep,
    get_current_active_user,
    get_current_user,
    reusable_oauth2,
)
from app.models import User

router = APIRouter(
    prefix="/items",
    tags=["items"],
    dependencies=[Depends(RateLimiter(times=60, seconds=60))],
)


@router.get("/")
def read_items(session: SessionDep, skip: int = 0, limit: int = 100):  # expect: api/unauthenticated-endpoint:warning
    # Forgot the CurrentUser parameter the other routes of this router have.
    return crud.list_items(session, skip=skip, limit=limit)


@router.post("/")
def create_item(session: SessionDep, current_user: CurrentUser, title: str):  # ok: api/unauthenticated-endpoint
    return crud.create_item(session, title, owner_id=current_user.id)


@router.put("/{item_id}")
def update_item(item_id: int, user: User = Depends(get_current_active_user)):  # ok: api/unauthenticated-endpoint
    return {"id": item_id}


@router.delete("/{item_id}")
def delete_item(item_id: int, user: User = Security(get_current_user, scopes=["items:write"])):  # ok: api/unauthenticated-endpoint
    return None


@router.patch("/{item_id}")
def patch_item(item_id: int, token: str = Depends(reusable_oauth2)):  # ok: api/unauthenticated-endpoint
    return {"id": item_id}


@router.head("/{item_id}")
def item_exists(item_id: int, current_user: CurrentUser):  # ok: api/unauthenticated-endpoint
    return None


def archive_item(item_id: int):  # ok: api/unauthenticated-endpoint
    return {"id": item_id, "archived": True}


router.add_api_route(
    "/{item_id}/archive",
    archive_item,
    methods=["POST"],
    dependencies=[Depends(get_current_active_user)],
)
