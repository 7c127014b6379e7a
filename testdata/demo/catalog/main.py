from fastapi import Depends, FastAPI
from fastapi.security import OAuth2PasswordRequestForm

from .deps import get_current_user
from .routers import products, reviews

app = FastAPI(title="catalog")
app.include_router(products.router, prefix="/v1")
app.include_router(reviews.router, prefix="/v1", dependencies=[Depends(get_current_user)])


@app.post("/token")
async def issue_token(form: OAuth2PasswordRequestForm = Depends()):  # expect: api/missing-rate-limit:error
    return {"access_token": form.username, "token_type": "bearer"}


@app.get("/ping")
async def ping():  # ok: api/unauthenticated-endpoint
    return "pong"
