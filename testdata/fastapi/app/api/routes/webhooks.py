from fastapi import APIRouter, Depends, Request

from app import crud
from app.api.deps import SessionDep
from app.core.security import JWTBearer

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


@router.post("/payments")
async def payment_webhook(request: Request, session: SessionDep):  # expect: api/unauthenticated-endpoint:error, api/missing-rate-limit:warning
    crud.record_payment(session, await request.json())
    return {"received": True}


@router.post("/partner", dependencies=[Depends(JWTBearer())])
async def partner_webhook(request: Request):  # ok: api/unauthenticated-endpoint
    return {"received": True}
