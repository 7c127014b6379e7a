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


@router.post("/session/nostr")
@limiter.limit("5/minute")
def nostr_login(request: Request, session: SessionDep):  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    # A sign-in view by its name: public by design, whatever its path.
    return {"session": crud.list_users(session) is not None}


@router.post("/session/history/export")
@limiter.limit("5/minute")
def export_login_history(request: Request, session: SessionDep):  # expect: api/unauthenticated-endpoint:error  ok: api/missing-rate-limit
    # `login` qualifies the history here: nothing signs in.
    return {"rows": len(crud.list_users(session))}


@router.post("/register/start")
@limiter.limit("5/minute")
def start_registration(request: Request, session: SessionDep):  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    # A step of the sign-up flow: public by design, like /register itself.
    return {"step": "email", "known": crud.list_users(session) is not None}


@router.post("/sign-up/confirm")
@limiter.limit("5/minute")
def confirm_sign_up(request: Request, session: SessionDep):  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    return {"confirmed": crud.list_users(session) is not None}


@router.post("/token/revoke-all")
@limiter.limit("5/minute")
def revoke_all_tokens(request: Request, session: SessionDep):  # expect: api/unauthenticated-endpoint:error  ok: api/missing-rate-limit
    # Under /token but not part of obtaining one: revoking every token needs a caller.
    return {"revoked": len(crud.list_users(session))}
