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


@router.post("/me/api-tokens")
def create_api_token(current_user: CurrentUser):  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    # Behind the router's authentication: managing one's own tokens guesses nothing.
    return {"owner": current_user.id}


@router.post("/me/password")
def change_password(current_user: CurrentUser, current: str, new: str):  # expect: api/missing-rate-limit:error
    # The current password is a secret to guess, even with a stolen session.
    return {"owner": current_user.id, "changed": current != new}
