from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    PROJECT_NAME: str = "inventory"
    VERSION: str = "1.4.0"
    API_V1_STR: str = "/api/v1"
    SECRET_KEY: str = "change-me"
    INTERNAL_TOKEN: str = "change-me-too"
    METRICS_KEY: str = "metrics"
    DATABASE_URL: str = "postgresql://app@localhost/app"


settings = Settings()
