from typing import Annotated

from fastapi import APIRouter, Depends, Request

from app import crud
from app.api.deps import SessionDep, get_current_user
from app.core.security import JWTBearer
from app.models import User

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


@router.post("/payments")
async def payment_webhook(request: Request, session: SessionDep):  # expect: api/unauthenticated-endpoint:error  ok: api/missing-rate-limit
    crud.record_payment(session, await request.json())
    return {"received": True}


@router.post("/partner", dependencies=[Depends(JWTBearer())])
async def partner_webhook(request: Request):  # ok: api/unauthenticated-endpoint
    return {"received": True}


@router.get("")
async def list_webhooks(current_user: Annotated[User, Depends(get_current_user)]):  # ok: api/unauthenticated-endpoint
    # Path "" is the router prefix itself: /api/v1/webhooks.
    return ["payments", "partner"]
