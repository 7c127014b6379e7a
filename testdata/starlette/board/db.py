import databases

database = databases.Database("postgresql://board@localhost/board")


async def list_posts():
    return await database.fetch_all("SELECT id, title FROM posts ORDER BY id DESC LIMIT 50")


async def create_post(title: str, author: str):
    await database.execute("INSERT INTO posts (title, author) VALUES (:t, :a)", {"t": title, "a": author})
