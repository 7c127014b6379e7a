from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.security import OAuth2PasswordRequestForm

from app import crud
from app.api.deps import SessionDep
from app.core.limits import limiter
from app.core.security import create_access_token

router = APIRouter(tags=["login"])


@router.post("/login/access-token")
@limiter.limit("5/minute")
def login_access_token(  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    request: Request,
    session: SessionDep,
    form_data: Annotated[OAuth2PasswordRequestForm, Depends()],
):
    user = crud.authenticate(session, form_data.username, form_data.password)
    if user is None:
        raise HTTPException(status_code=400, detail="Incorrect email or password")
    return {"access_token": create_access_token(str(user.id), timedelta(minutes=30))}


@router.post("/token")
def token(session: SessionDep, form_data: Annotated[OAuth2PasswordRequestForm, Depends()]):  # expect: api/missing-rate-limit:error
    user = crud.authenticate(session, form_data.username, form_data.password)
    if user is None:
        raise HTTPException(status_code=400, detail="Incorrect email or password")
    return {"access_token": create_access_token(str(user.id), timedelta(minutes=30))}
