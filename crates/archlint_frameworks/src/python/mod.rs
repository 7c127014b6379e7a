//! Python frameworks: Flask, FastAPI/Starlette, Django and Django REST framework.

pub mod django;
pub mod fastapi;
pub mod flask;
