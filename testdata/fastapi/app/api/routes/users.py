from fastapi import APIRouter, Depends

from app import crud
from app.api.deps import CurrentUser, SessionDep, get_current_user

# Every route of this router needs a user.
router = APIRouter(prefix="/users", tags=["users"], dependencies=[Depends(get_current_user)])


@router.get("/me")
def read_user_me(current_user: CurrentUser):  # ok: api/unauthenticated-endpoint
    return {"id": current_user.id, "email": current_user.email}


@router.get("/")
def read_users(session: SessionDep):  # ok: api/unauthenticated-endpoint  expect: api/missing-rate-limit:warning
    return crud.list_users(session)
