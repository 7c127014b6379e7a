"""Shop service on raw SQL: Flask views over psycopg2, a FastAPI reports app on asyncpg."""
