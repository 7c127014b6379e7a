from typing import Annotated

import httpx
from fastapi import APIRouter, Depends

from ..deps import get_current_user

router = APIRouter(prefix="/products", tags=["products"])

CurrentUser = Annotated[dict, Depends(get_current_user)]


@router.get("/")
async def list_products():  # expect: api/unauthenticated-endpoint:warning
    return []


@router.post("/")
async def create_product(user: CurrentUser):  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    return {"created_by": user["name"]}


@router.delete("/{product_id}")
async def delete_product(product_id: int):  # expect: api/unauthenticated-endpoint:error
    return {"deleted": product_id}


@router.get("/{product_id}/price")
async def live_price(product_id: int, user: dict = Depends(get_current_user)):  # expect: api/missing-rate-limit:warning
    async with httpx.AsyncClient() as client:
        resp = await client.get(f"https://pricing.internal/products/{product_id}")
    return resp.json()
